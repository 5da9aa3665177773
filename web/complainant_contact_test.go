package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestComplainantAddressAndEmail_Issue13Item4: the registration takes the
// complainant's postal address and e-mail (letters and e-mails need them),
// checks the e-mail in the same round as every other field, and the case
// shows both masked, as the numbers are; the API takes them too.
func TestComplainantAddressAndEmail_Issue13Item4(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	client := pageClient(t, f, "mgr")
	if page := pageText(t, f, client, "/cases/new"); !strings.Contains(page, `name="address"`) || !strings.Contains(page, "通讯地址") || !strings.Contains(page, `name="email"`) {
		t.Fatal("the registration form has no address or e-mail field")
	}
	form := url.Values{"kind": {"complaint"}, "channel": {"letter"}, "received_at": {"2026-11-20T09:00"}, "name": {"李四"},
		"address": {"上海市浦东新区世纪大道100号"}, "email": {"not-an-address"}, "description": {"来信反映年费问题"}, "subject": {"年费争议"}, "restated": {"yes"}}
	_, page := postPage(t, f, client, "/cases/new", form)
	if !strings.Contains(page, `id="err-complainant.email"`) || !strings.Contains(page, "电子邮箱") {
		t.Fatalf("a bad e-mail is not named next to its field:\n%s", between(page, `role="alert"`, "</div>"))
	}

	body := strings.Replace(createBody, `"phone":"13812345678"}`, `"phone":"13812345678","address":"北京市海淀区中关村大街1号院3号楼502","email":"zhang.san@mail.example"}`, 1)
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", body)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, c)
	}
	who := c["complainant"].(map[string]any)
	if who["address"] != "北京市海淀区****" || who["email"] != "z***@mail.example" {
		t.Fatalf("the answer does not mask the address and e-mail: %v", who)
	}
	page = pageText(t, f, client, "/cases/"+c["no"].(string))
	if !strings.Contains(page, "北京市海淀区****") || !strings.Contains(page, "z***@mail.example") || strings.Contains(page, "中关村大街") || strings.Contains(page, "zhang.san@") {
		t.Fatal("the case page does not show the address and e-mail masked")
	}
	if !strings.Contains(page, `<option value="address">通讯地址</option>`) {
		t.Fatal("the reveal form does not offer the address (a letter must be posted to it)")
	}
}

// TestNoticeByChosenAtRegistration_Issue14Item2: the registration records
// how the customer wants to be told, refuses a choice without its contact,
// and the case page's notice form starts from the customer's choice.
func TestNoticeByChosenAtRegistration_Issue14Item2(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	client := pageClient(t, f, "mgr")
	form := url.Values{"kind": {"complaint"}, "channel": {"letter"}, "received_at": {"2026-11-20T09:00"}, "name": {"李四"},
		"notice_by": {"letter"}, "description": {"来信反映年费问题"}, "subject": {"年费争议"}, "restated": {"yes"}}
	if _, page := postPage(t, f, client, "/cases/new", form); !strings.Contains(page, `id="err-complainant.address"`) {
		t.Fatal("a letter chosen without an address is not refused at the address")
	}
	body := strings.Replace(createBody, `"phone":"13812345678"}`, `"phone":"13812345678","notice_by":"sms"}`, 1)
	status, c := f.call(t, "staff", "POST", "/api/v1/cases", body)
	if status != http.StatusCreated || c["complainant"].(map[string]any)["notice_by"] != "sms" {
		t.Fatalf("create: %d %v", status, c)
	}
	no := c["no"].(string)
	f.act(t, "mgr", no, "accept", `}`)
	page := pageText(t, f, client, "/cases/"+no)
	if !strings.Contains(page, "客户选择的告知方式") || !strings.Contains(between(page, `id="nt-method"`, "</select>"), `value="sms" selected`) {
		t.Fatalf("the case page does not start the notice from the customer's choice: %s", between(page, `id="nt-method"`, "</select>"))
	}
}
