package scenario

import (
	"fmt"
	"strings"
	"time"

	"redress"
)

// Intake is a matter as it is registered, before what NewCase draws.
type Intake struct {
	Scenario    *Scenario
	Channel     redress.Channel
	ReceivedAt  time.Time
	Org         string      // the registering unit's code
	Home        Region      // where the complainant comes from
	Description string      // the description, unfilled: Scenario.Told and any remark added
	Particulars Particulars // the amount involved and what fills the texts
	Respondent  string      // login of the staff member complained about, or ""
}

// NewCase draws the registration of a matter: its complainant, the initial
// risk assessment and priority, and for a regulator's referral the
// regulator's reference and due date (15 days on).
func (r *Rand) NewCase(in Intake) redress.NewCase {
	sc, fill := in.Scenario, in.Particulars.Fill
	n := redress.NewCase{Kind: sc.Kind, Channel: in.Channel, ReceivedAt: in.ReceivedAt,
		Complainant: r.Complainant(in.Home, sc.Account),
		Subject:     sc.Subject, Description: fill(in.Description), Request: fill(sc.Request),
		Amount: in.Particulars.Amount,
		CodeA:  redress.ChannelCode(in.Channel), CodeB: sc.CodeB, CodeC: sc.CodeC, Org: in.Org}
	n.Risk, n.Priority = r.assess(sc, in.Channel, in.Particulars.Amount)
	if sc.Kind == redress.KindComplaint || sc.Kind == redress.KindPetition {
		n.Respondent.Org = in.Org
	}
	n.Respondent.Staff = in.Respondent
	if in.Channel == redress.ChannelRegulator {
		n.RegulatorRef = fmt.Sprintf("12378-%s-%06d", in.ReceivedAt.In(redress.Beijing).Format("2006"), r.IntN(1000000))
		n.RegulatorDue = redress.DateOf(in.ReceivedAt).AddDays(15).String()
		n.RegulatorSource, n.RegulatorForwardedOn = redress.Source12378, redress.DateOf(in.ReceivedAt).String()
	}
	return n
}

// assess is the initial risk assessment and priority: high for the
// regulator's referrals, online posts and petitions, low for inquiries and
// suggestions, medium for large amounts and now and then otherwise.
func (r *Rand) assess(sc *Scenario, ch redress.Channel, amount string) (redress.RiskLevel, redress.Priority) {
	switch {
	case ch == redress.ChannelRegulator || ch == redress.ChannelOnlinePost || sc.Kind == redress.KindPetition:
		return redress.RiskHigh, Pick(r, []redress.Priority{redress.PriorityHigh, redress.PriorityUrgent})
	case sc.Kind == redress.KindInquiry || sc.Kind == redress.KindSuggestion:
		return redress.RiskLow, redress.PriorityLow
	case amountFen(amount) >= 10000*100 || r.Chance(0.2):
		return redress.RiskMedium, redress.PriorityHigh
	}
	return redress.RiskLow, redress.PriorityNormal
}

// amountFen is a yuan amount in fen, 0 for none.
func amountFen(yuan string) int64 {
	fen, err := redress.ParseAmount(yuan)
	if err != nil {
		return 0
	}
	return fen
}

// Handling is how a case's handling came out, which its determination and
// reply are drawn from.
type Handling struct {
	Scenario    *Scenario
	Particulars Particulars // the amount involved and what fills the texts
	Liability   redress.Liability
	OnSpot      bool // resolved on the spot
}

// Determination draws the determination: the liability and root cause, the
// party responsible unless the bank is not at fault, and often, when it is,
// the measures taken against those at fault.
func (r *Rand) Determination(h Handling) redress.Determination {
	d := redress.Determination{Liability: h.Liability, RootCause: h.Scenario.RootCause, RootCauseCode: RootCauseCode(h.Scenario.RootCause)}
	if h.Liability != redress.LiabilityNoFault {
		d.ResponsibleParty = h.Particulars.Fill(h.Scenario.Party)
	}
	if h.Liability == redress.LiabilityBankFault && r.Chance(0.6) {
		d.Accountability = r.Text(Accountabilities)
	}
	return d
}

// Outcome is the decision on the customer's request: the scenario's own, or
// upheld when the bank is at fault, partly upheld when partly, not upheld
// otherwise.
func (h Handling) Outcome() redress.Outcome {
	if h.Scenario.Outcome != "" {
		return h.Scenario.Outcome
	}
	switch h.Liability {
	case redress.LiabilityBankFault:
		return redress.OutcomeUpheld
	case redress.LiabilityPartial:
		return redress.OutcomePartlyUpheld
	}
	return redress.OutcomeNotUpheld
}

// Reply draws the decision notice, given to the customer by method at
// (which its proof records; its NoticeAt is left to the caller). Unless the
// request is not upheld it says what the bank does and pays back.
func (r *Rand) Reply(h Handling, method redress.NoticeMethod, at time.Time) redress.Reply {
	lead := "经调查核实，"
	if h.OnSpot {
		lead = "经现场核实，"
	}
	outcome := h.Outcome()
	reply := redress.Reply{Facts: lead + h.Particulars.Fill(h.Scenario.Finding), Basis: h.Scenario.Basis,
		Outcome: outcome, Remedies: remedies(outcome), NoticeMethod: method, NoticeProof: r.proof(method, at)}
	if outcome != redress.OutcomeNotUpheld {
		reply.Redress = h.Particulars.Fill(h.Scenario.Redress)
		reply.RedressPaid = h.refund(outcome)
	}
	return reply
}

// refund is what the bank pays back: the whole amount when the request is
// upheld, half when partly upheld; "" when the scenario pays nothing.
func (h Handling) refund(outcome redress.Outcome) string {
	fen := amountFen(h.Particulars.Amount)
	if !h.Scenario.Refund || fen == 0 {
		return ""
	}
	if outcome == redress.OutcomePartlyUpheld {
		fen /= 2
	}
	return redress.FormatAmount(fen)
}

// remedies are the further remedies the reply names for an outcome.
func remedies(o redress.Outcome) []redress.Remedy {
	switch o {
	case redress.OutcomeUpheld:
		return []redress.Remedy{redress.RemedyReview}
	case redress.OutcomePartlyUpheld:
		return []redress.Remedy{redress.RemedyReview, redress.RemedyMediation}
	}
	return []redress.Remedy{redress.RemedyReview, redress.RemedyMediation, redress.RemedyLitigation}
}

// NoticeMethod draws how the reply reaches a customer who came by ch.
func (r *Rand) NoticeMethod(ch redress.Channel) redress.NoticeMethod {
	switch ch {
	case redress.ChannelCounter, redress.ChannelVisit, redress.ChannelOpinionBook, redress.ChannelSelfService:
		return Pick(r, []redress.NoticeMethod{redress.NoticeInPerson, redress.NoticeInPerson, redress.NoticePhone})
	case redress.ChannelLetter, redress.ChannelRegulator:
		return Pick(r, []redress.NoticeMethod{redress.NoticeLetter, redress.NoticePhone})
	case redress.ChannelMobileApp:
		return Pick(r, []redress.NoticeMethod{redress.NoticeApp, redress.NoticeSMS, redress.NoticePhone})
	case redress.ChannelEmail:
		return redress.NoticeEmail
	}
	return Pick(r, []redress.NoticeMethod{redress.NoticePhone, redress.NoticePhone, redress.NoticeSMS})
}

// proof draws the record that the notice was given by m on the day of at.
func (r *Rand) proof(m redress.NoticeMethod, at time.Time) string {
	day := at.In(redress.Beijing).Format("20060102")
	n := r.IntN(1000000)
	switch m {
	case redress.NoticeInPerson:
		return "客户当面签收《投诉处理告知书》，回执已归档。"
	case redress.NoticePhone:
		return fmt.Sprintf("电话告知处理结果，录音编号 REC-%s-%04d。", day, n%10000)
	case redress.NoticeSMS:
		return fmt.Sprintf("短信平台发送记录，流水号 SMS%s%06d。", day, n)
	case redress.NoticeLetter:
		return fmt.Sprintf("EMS挂号寄送《投诉处理告知书》，运单号 11%05d%06d。", r.IntN(100000), n)
	case redress.NoticeEmail:
		return "以电子邮件发送《投诉处理告知书》，发送记录已存档。"
	}
	return fmt.Sprintf("手机银行站内信推送记录，消息编号 MSG%s%06d。", day, n)
}

// Satisfaction draws the customer's answer at the return visit.
func (r *Rand) Satisfaction() redress.Satisfaction {
	switch x := r.Float64(); {
	case x < 0.55:
		return redress.SatisfactionSatisfied
	case x < 0.80:
		return redress.SatisfactionBasically
	case x < 0.90:
		return redress.SatisfactionDissatisfed
	}
	return redress.SatisfactionUnreachable
}

// EscalationLevel draws how far a case is escalated: mostly it stays with
// the complaint manager (2); some go to the branch head (3), a few on to
// head office (4).
func (r *Rand) EscalationLevel() int {
	switch x := r.Float64(); {
	case x < 0.05:
		return 4
	case x < 0.15:
		return 3
	}
	return 2
}

// rootCauseCodes are the root-cause codes (the list R) of the scenarios'
// root causes, by the factor each names before its colon.
var rootCauseCodes = map[string]string{
	"营销方式": "R04", "信息披露": "R05", "员工能力": "R03", "服务质量": "R03", "服务设施": "R02", "业务系统": "R02",
	"合同条款": "R08", "管理制度": "R01", "自主选择权": "R01", "债务催收方式": "R09", "定价收费": "R06", "产品收益": "R07",
	"消费者信息安全": "R10", "消费者资金安全": "R10",
}

// RootCauseCode returns the code of a scenario's root cause: the factor it
// names, or R99 (其他) for a text that names none.
func RootCauseCode(rootCause string) string {
	factor, _, _ := strings.Cut(rootCause, "：")
	if code, ok := rootCauseCodes[factor]; ok {
		return code
	}
	return "R99"
}
