package redress

import (
	"strings"
	"testing"
	"time"
)

// TestRenderNotice_Seed002Art5: a notice names the bank, its hotline and
// address (seed 002 Art.5: 客户投诉电话); the remedies by name; an SMS leaves
// the typed reason out, a letter keeps it.
func TestRenderNotice_Seed002Art5(t *testing.T) {
	t.Parallel()
	bank := BankProfile{Name: "示例银行", Hotline: "95500", Address: "北京市海淀区1号"}
	tpl := NoticeTemplate{Kind: NoticeExtension, Lang: "zh-CN", Body: "【{bank}】{no} 延期至 {date}。{reason}电话 {hotline}，{address}，{remedies}"}
	f := NoticeFacts{No: "TS20261120-00001", Date: "2026-12-20", Reason: "需调取外部证据", Remedies: []Remedy{RemedyReview, RemedyMediation}}
	if got, want := RenderNotice(tpl, f, bank, false), "【示例银行】TS20261120-00001 延期至 2026-12-20。需调取外部证据。电话 95500，北京市海淀区1号，申请核查、申请调解"; got != want {
		t.Errorf("letter:\n%s\nwant\n%s", got, want)
	}
	if got, want := RenderNotice(tpl, f, bank, true), "【示例银行】TS20261120-00001 延期至 2026-12-20。电话 95500，北京市海淀区1号，申请核查、申请调解"; got != want {
		t.Errorf("SMS:\n%s\nwant\n%s", got, want)
	}
	en := NoticeTemplate{Kind: NoticeDecision, Lang: "en", Body: "You may {remedies}. {reason}Call {hotline}."}
	if got := RenderNotice(en, f, bank, false); got != "You may ask for a review, ask for mediation. 需调取外部证据. Call 95500." {
		t.Errorf("English: %s", got)
	}
}

// TestValidateNoticeTemplates: every default passes; a template without
// the hotline, with an unknown placeholder, kind or language, or twice, is refused.
func TestValidateNoticeTemplates(t *testing.T) {
	t.Parallel()
	if err := ValidateNoticeTemplates(DefaultNoticeTemplates()); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if n := len(DefaultNoticeTemplates()); n != len(NoticeTemplateKinds)*len(NoticeLangs) {
		t.Fatalf("%d defaults", n)
	}
	bad := []NoticeTemplate{
		{Kind: NoticeAcceptance, Lang: "zh-CN", Body: "您的投诉已受理，谢谢。"},               // no hotline
		{Kind: NoticePause, Lang: "zh-CN", Body: "{bank} {hotline} {subject} 已中止"}, // the complaint's subject is no placeholder
		{Kind: "apology", Lang: "zh-CN", Body: "{hotline} 对不起对不起"},
		{Kind: NoticeResume, Lang: "fr", Body: "{hotline} reprise du dossier"},
		{Kind: NoticeDecision, Lang: "en", Body: "Decided; call {hotline}."},
		{Kind: NoticeDecision, Lang: "en", Body: "Decided; call {hotline}."},
	}
	fields := ErrorFields(ValidateNoticeTemplates(bad))
	for _, k := range []string{"acceptance.zh-CN", "pause.zh-CN", "apology.zh-CN", "resume.fr", "decision.en"} {
		if fields["templates."+k] == "" {
			t.Errorf("no problem on %s: %v", k, fields)
		}
	}
}

// TestNoticeFactsOf: each kind's date comes from the case, and a kind the
// case has nothing to tell of yet is not ok.
func TestNoticeFactsOf(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, Beijing)
	c := &Case{No: "TS20261120-00001", Status: StatusInvestigating, DecisionDue: "2026-12-05", AgreedReplyDue: "2026-11-28",
		Contact:         &Contact{By: "staff"},
		DeadlineHistory: []DeadlineChange{{Action: "extend", After: "2026-12-20", Reason: "需调取外部证据"}, {Action: "pause", At: at, Reason: "appraisal: 笔迹鉴定"}},
		Reply:           &Reply{NoticeAt: at, Remedies: []Remedy{RemedyReview}}}
	for kind, want := range map[CustomerNoticeKind]string{NoticeAcceptance: "2026-12-05", NoticeContact: "2026-11-28",
		NoticeExtension: "2026-12-20", NoticePause: "2026-11-25", NoticeDecision: "2026-11-25"} {
		if f, ok := NoticeFactsOf(c, kind); !ok || f.Date != want || f.No != c.No {
			t.Errorf("%s: %+v %v, want %s", kind, f, ok, want)
		}
	}
	for _, kind := range []CustomerNoticeKind{NoticeResume, NoticeReviewResult} {
		if _, ok := NoticeFactsOf(c, kind); ok {
			t.Errorf("%s is ok with nothing to tell", kind)
		}
	}
	if f, _ := NoticeFactsOf(c, NoticeExtension); f.Reason != "需调取外部证据" {
		t.Errorf("extension reason %q", f.Reason)
	}
	if _, ok := NoticeFactsOf(&Case{Status: StatusRegistered, DecisionDue: "2026-12-05"}, NoticeAcceptance); ok {
		t.Error("an acceptance notice before acceptance")
	}
	if !strings.Contains(RenderNotice(DefaultNoticeTemplates()[0], NoticeFacts{No: "X"}, BankProfile{Hotline: "95500"}, true), "95500") {
		t.Error("the default acceptance notice lacks the hotline")
	}
}

// TestNoticeRequestValidate: a call or a talk needs its record; a preview does not.
func TestNoticeRequestValidate(t *testing.T) {
	t.Parallel()
	r := NoticeRequest{Kind: NoticeContact, Method: NoticePhone}
	if ErrorFields(r.Validate(false))["proof"] == "" {
		t.Error("a call without its record")
	}
	if err := r.Validate(true); err != nil || r.Lang != "zh-CN" {
		t.Errorf("preview: %v, lang %q", err, r.Lang)
	}
	r = NoticeRequest{Kind: "x", Method: NoticeApp, Lang: "fr"}
	fields := ErrorFields(r.Validate(true))
	if fields["kind"] == "" || fields["method"] == "" || fields["lang"] == "" {
		t.Errorf("problems %v", fields)
	}
}
