package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// noticeForm2027 is a made-up CN 2027 notice (not the State Council's) with
// the 13 statutory holidays of Order No.795, as an admin types it.
func noticeForm2027() url.Values {
	f := url.Values{"region": {"CN"}, "year": {"2027"}, "source": {"国务院办公厅关于2027年部分节假日安排的通知（测试）"}, "issued": {"2026-11-10"}}
	for _, row := range [][4]string{
		{"statutory", "元旦", "2027-01-01", ""}, {"rest_day", "元旦", "2027-01-02", "2027-01-03"},
		{"statutory", "春节", "2027-02-05", "2027-02-08"}, {"rest_day", "春节", "2027-02-09", "2027-02-11"}, {"workday", "春节", "2027-02-20", ""},
		{"statutory", "清明节", "2027-04-05", ""},
		{"statutory", "劳动节", "2027-05-01", "2027-05-02"}, {"rest_day", "劳动节", "2027-05-03", "2027-05-05"},
		{"statutory", "端午节", "2027-06-09", ""}, {"statutory", "中秋节", "2027-09-15", ""},
		{"statutory", "国庆节", "2027-10-01", "2027-10-03"}, {"rest_day", "国庆节", "2027-10-04", "2027-10-07"},
		{"workday", "国庆节", "2027-09-26", ""}, {"workday", "国庆节", "2027-10-09", ""},
		{"statutory", "", "", ""}, // a blank line of the form
	} {
		f.Add("kind", row[0])
		f.Add("name", row[1])
		f.Add("from", row[2])
		f.Add("to", row[3])
	}
	return f
}

// adminBrowser signs admin in and returns a client that keeps the session.
func adminBrowser(t *testing.T, f *apiFixture) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if code, _ := postForm(t, client, f.srv.URL+"/login", url.Values{"login": {"admin"}, "password": {pagePassword}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	return client
}

func postForm(t *testing.T, client *http.Client, u string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// TestAdminEntersNoticeInForm_Order795Art2 enters next year's notice in the
// form, ranges of each kind: it becomes the year's calendar, a clock ending
// on one of its moved rest days moves (民法典 Art.203), and a year without a
// notice stays an explicit error.
func TestAdminEntersNoticeInForm_Order795Art2(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	client := adminBrowser(t, f)
	if code, page := postForm(t, client, f.srv.URL+"/admin/calendar", noticeForm2027()); code != http.StatusSeeOther {
		t.Fatalf("save the notice: %d %s", code, page)
	}
	_, list := f.call(t, "mgr", "GET", "/api/v1/calendar?region=CN", "")
	var y2027 map[string]any
	for _, it := range list["items"].([]any) {
		if m := it.(map[string]any); m["year"] == float64(2027) {
			y2027 = m
		}
	}
	if y2027 == nil || y2027["origin"] != "override" {
		t.Fatalf("2027 not in the calendar: %v", list)
	}
	holidays := y2027["holidays"].([]any)
	if len(holidays) != 7 {
		t.Errorf("2027 holidays = %v, want 7 blocks", holidays)
	}
	spring := holidays[1].(map[string]any)
	if spring["from"] != "2027-02-05" || spring["to"] != "2027-02-11" || len(spring["rest_days"].([]any)) != 1 {
		t.Errorf("春节 2027 = %v, want one block 02-05..02-11 with its rest days", spring)
	}
	// 60 days from 2027-08-05 end on 2027-10-04, a moved rest day of 国庆节:
	// the petition's clock moves off every rest day, to Friday 2027-10-08.
	code, due := f.call(t, "mgr", "GET", "/api/v1/calendar/due?from=2027-08-05&policy=petition&clock=handling", "")
	if code != 200 || due["date"] != "2027-10-08" || due["unmoved"] != "2027-10-04" || !strings.Contains(due["warning"].(string), "调休休息日") {
		t.Errorf("petition handling from 2027-08-05 = %d %v, want 2027-10-08 moved off the rest day", code, due)
	}
	// 2028 has no notice: an explicit error, never a guess.
	if code, body := f.call(t, "mgr", "GET", "/api/v1/calendar/due?from=2028-01-10&days=5&unit=working", ""); code != 400 || !strings.Contains(mustJSON(body), "2028") {
		t.Errorf("a 2028 deadline = %d %v, want 400 naming the missing year", code, body)
	}
	// The form reopens the saved year for editing.
	resp, err := client.Get(f.srv.URL + "/admin/calendar?region=CN&edit=2027")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if page := string(raw); !strings.Contains(page, `value="2027-10-04"`) || !strings.Contains(page, `name="year" type="number" min="2000" max="2100" required value="2027"`) {
		t.Errorf("edit 2027: the form does not hold the saved notice")
	}
}

// TestNoticeFormProblemsInOneRound posts a notice with a mistake on several
// lines: every one is shown at once, in Chinese and in English, and the
// lines are kept.
func TestNoticeFormProblemsInOneRound(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	client := adminBrowser(t, f)
	form := noticeForm2027()
	form["from"][4] = "2027-02-19"  // 春节 make-up workday on a Friday
	form["to"][1] = "2026-01-03"    // 元旦 rest days into the wrong year
	form["name"][5] = ""            // 清明节 without its name
	form["from"][13] = "2027-10-07" // overlaps the 国庆节 rest days
	want := map[string][]string{
		"zh-CN": {"安排需要修改", "调休上班日只能是周六或周日", "2026-01-03不在2027年内", "必填", "2027-10-07已在其他行录入（国庆节）"},
		"en":    {"The notice needs correcting", "a make-up working day is a Saturday or Sunday", "2026-01-03 is not in 2027", "required", "2027-10-07 is already on another line (国庆节)"},
	}
	for lang, texts := range want {
		u, _ := url.Parse(f.srv.URL)
		client.Jar.SetCookies(u, []*http.Cookie{{Name: "redress_lang", Value: lang}})
		code, page := postForm(t, client, f.srv.URL+"/admin/calendar", form)
		if code != 200 {
			t.Fatalf("%s: %d", lang, code)
		}
		for _, text := range texts {
			if !strings.Contains(page, text) {
				t.Errorf("%s: the page lacks %q", lang, text)
			}
		}
		if !strings.Contains(page, `value="2027-02-19"`) {
			t.Errorf("%s: the lines typed are not kept", lang)
		}
	}
	if _, list := f.call(t, "mgr", "GET", "/api/v1/calendar?region=CN", ""); strings.Contains(mustJSON(list), `"year":2027`) {
		t.Errorf("a rejected notice was saved")
	}
}

// TestCalendarAPIRestDays: the JSON API takes the rest days of a block and
// names a rest-day range outside its block.
func TestCalendarAPIRestDays(t *testing.T) {
	t.Parallel()
	f := newAPI(t)
	body := `{"region":"CN","year":2029,"source":"test","holidays":[{"name":"国庆节","from":"2029-10-01","to":"2029-10-07","rest_days":[{"from":"2029-10-04","to":"2029-10-07"}]}],"workdays":[]}`
	if code, got := f.call(t, "admin", "PUT", "/api/v1/calendar/CN/2029", body); code != 200 || !strings.Contains(mustJSON(got), `"rest_days":[{"from":"2029-10-04","to":"2029-10-07"}]`) {
		t.Errorf("PUT with rest days = %d %v", code, got)
	}
	bad := strings.Replace(body, `"to":"2029-10-07"}]`, `"to":"2029-10-08"}]`, 1)
	if code, got := f.call(t, "admin", "PUT", "/api/v1/calendar/CN/2029", bad); code != 400 || !strings.Contains(mustJSON(got), "holidays[0].rest_days[0]") {
		t.Errorf("PUT with a rest day outside the block = %d %v", code, got)
	}
}

func mustJSON(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(raw)
}
