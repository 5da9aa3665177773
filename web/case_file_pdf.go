package web

import (
	"io"
	"strconv"
	"strings"
	"time"

	"redress"
	"redress/pdf"
)

// caseFilePrint lays out the PDFs of a case file as the print views lay
// them out (print_registration.html, print_decision.html,
// print_notice.html, the case page's timeline): the same fields, labels
// and wording, the bank's letterhead.
type caseFilePrint struct {
	t      *T
	c      *redress.Case
	names  *pageData // People, Units and Bank, as printNames fills them
	review reviewPage
	at     time.Time // when the file was made: each PDF's date
}

// person names a login as the print views do: the user's name when the
// printer may list it, else the login.
func (p *caseFilePrint) person(login string) string {
	if n := p.names.People[login]; n != "" {
		return n
	}
	return login
}

// unit names a unit by its code.
func (p *caseFilePrint) unit(code string) string {
	if n := p.names.Units[code]; n != "" {
		return n
	}
	return code
}

// doc starts a PDF with the bank's letterhead and its title.
func (p *caseFilePrint) doc(title string) *pdf.Doc {
	author := ""
	if p.names.Bank != nil {
		author = p.names.Bank.Name
	}
	d := pdf.New(pdf.Meta{Title: title + " " + p.c.No, Author: author, Created: p.at, Footer: p.c.No})
	if author != "" {
		d.Text(author, 12, pdf.Center)
	}
	d.Title(title)
	return d
}

// signOff ends a letter: the hotline and the bank, dated.
func (p *caseFilePrint) signOff(d *pdf.Doc, date any, address bool) {
	t := p.t
	if b := p.names.Bank; b != nil {
		d.Text(t.Get("print.hotline", "Hotline", b.Hotline), 0, pdf.Left)
		if address && b.Address != "" {
			d.Text(b.Address, 0, pdf.Left)
		}
	}
	d.Space(6)
	bank := t.Get("print.bank")
	if b := p.names.Bank; b != nil {
		bank = b.Name
	}
	d.Text(bank, 0, pdf.Right)
	d.Text(t.LongDate(date), 0, pdf.Right)
}

// registration writes the registration form (登记表).
func (p *caseFilePrint) registration(w io.Writer) error {
	t, c := p.t, p.c
	d := p.doc(t.Kind(c.Kind, "print.registration"))
	th := func(s string) pdf.Cell { return pdf.Cell{Text: s, Head: true} }
	td := func(s string) pdf.Cell { return pdf.Cell{Text: s} }
	wide := func(s string) pdf.Cell { return pdf.Cell{Text: s, Span: 3} }
	channel := t.Label("channel", c.Channel)
	if c.RegulatorSource != "" {
		channel += " · " + t.Label("regulator_source", c.RegulatorSource) + " " + c.RegulatorRef
	}
	handler := ""
	if c.Handler != "" {
		handler = p.person(c.Handler)
	}
	signer := ""
	if c.SignedOffBy != "" {
		signer = p.person(c.SignedOffBy)
	}
	findings := make([]string, 0, len(c.Findings))
	for _, f := range c.Findings {
		findings = append(findings, f.Text)
	}
	rows := [][]pdf.Cell{
		{th(t.Kind(c.Kind, "field.no")), td(c.No), th(t.Get("field.received_at")), td(t.LongDate(c.ReceivedAt) + " " + t.Time(c.ReceivedAt))},
		{th(t.Get("field.channel")), td(channel), th(t.Get("field.kind")), td(t.Label("kind", c.Kind))},
		{th(t.Get("field.name")), td(c.Complainant.Name), th(t.Get("field.phone")), td(c.Complainant.Phone)},
		{th(t.Get("field.id_type")), td(t.Label("id_type", c.Complainant.IDType)), th(t.Get("field.id_number")), td(c.Complainant.IDNumber)},
	}
	if c.Complainant.Address != "" || c.Complainant.Email != "" {
		rows = append(rows, []pdf.Cell{th(t.Get("field.address")), td(c.Complainant.Address), th(t.Get("field.email")), td(c.Complainant.Email)})
	}
	if c.Complainant.OrgName != "" {
		rows = append(rows, []pdf.Cell{th(t.Get("field.org_name")), td(c.Complainant.OrgName), th(t.Get("field.credit_code")), td(c.Complainant.CreditCode)})
	}
	rows = append(rows,
		[]pdf.Cell{th(t.Kind(c.Kind, "field.respondent_org")), td(p.unit(c.Respondent.Org)), th(t.Get("field.amount")), td(c.Amount)},
		[]pdf.Cell{th(t.Get("field.subject")), wide(c.Subject)},
		[]pdf.Cell{th(t.Get("field.description")), {Text: c.Description, Span: 3, Height: 30}},
		[]pdf.Cell{th(t.Get("field.request")), wide(c.Request)},
		[]pdf.Cell{th("JR/T 0169"), wide(strings.TrimSpace(c.CodeA + " " + c.CodeB + " " + c.CodeC))},
		[]pdf.Cell{th(t.Get("field.first_responder")), td(p.person(c.FirstResponder) + "（" + p.unit(c.OriginOrg) + "）"), th(t.Get("field.handler")), td(handler)},
		[]pdf.Cell{th(t.Get("field.reply_due")), td(t.LongDate(c.ReplyDue)), th(t.Get("field.decision_due")), td(t.LongDate(c.DecisionDue))},
		[]pdf.Cell{th(t.Get("field.findings")), wide(strings.Join(findings, "\n\n"))},
		[]pdf.Cell{th(t.Get("print.signature")), td(signer), th(t.Get("print.date")), td(t.LongDate(c.SignedOffAt))},
	)
	d.Table([]float64{1, 2, 1, 2}, rows)
	sign := pdf.Cell{Height: 14}
	d.Table([]float64{1, 2, 1, 2}, [][]pdf.Cell{
		{th(t.Kind(c.Kind, "print.customer_signature")), sign, th(t.Get("print.date")), sign},
		{th(t.Get("print.responder_signature")), sign, th(t.Get("print.date")), sign},
	})
	return d.Write(w)
}

// decision writes the decision letter (答复函 / 处理意见书): the facts,
// the basis, the outcome and the remedies with the reviewing unit.
func (p *caseFilePrint) decision(w io.Writer) error {
	t, c, r := p.t, p.c, p.c.Reply
	d := p.doc(t.Kind(c.Kind, "print.decision"))
	d.Text(c.No, 0, pdf.Right)
	d.Text(t.Get("print.dear", "Name", c.Complainant.Name), 0, pdf.Left)
	d.Text(t.Kind(c.Kind, "print.decision_intro", "Date", t.LongDate(c.ReceivedAt), "No", c.No), 0, pdf.Left)
	d.Heading(t.Get("field.facts"))
	d.Text(r.Facts, 0, pdf.Left)
	d.Heading(t.Get("field.basis"))
	d.Text(r.Basis, 0, pdf.Left)
	d.Heading(t.Get("field.outcome"))
	outcome := t.Label("outcome", r.Outcome)
	if r.Redress != "" {
		outcome += "：" + r.Redress
	}
	d.Text(outcome, 0, pdf.Left)
	if r.RedressPaid != "" {
		d.Text(t.Get("print.redress_paid", "Amount", r.RedressPaid), 0, pdf.Left)
	}
	d.Space(2)
	d.Text(t.Get("print.remedies_text"), 0, pdf.Left)
	var remedies []string
	if c.Kind == redress.KindPetition {
		remedies = []string{t.Get("print.review_petition", "Unit", p.review.UnitName)}
	} else {
		mediation := t.Get("print.mediation_any")
		if m := p.review.Mediation; m != nil && m.Name != "" {
			mediation = t.Get("print.mediation_body", "Name", m.Name, "Contact", m.Contact)
		}
		remedies = []string{t.Get("print.review_complaint", "Unit", p.review.UnitName), t.Get("remedy.mediation") + "：" + mediation,
			t.Get("print.arbitration"), t.Get("print.litigation")}
	}
	for i, s := range remedies {
		d.Text(string(rune('1'+i))+". "+s, 0, pdf.Left)
	}
	d.Space(2)
	p.signOff(d, r.NoticeAt, false)
	return d.Write(w)
}

// notice writes a notice to the customer as its letter prints, with how
// it was given and its proof (an SMS's or a call's too: the file holds
// every notice).
func (p *caseFilePrint) notice(w io.Writer, n *redress.CustomerNotice) error {
	t, c := p.t, p.c
	d := p.doc(t.Label("notice_kind", n.Kind))
	d.Text(c.No, 0, pdf.Right)
	d.Text(t.Get("print.dear", "Name", c.Complainant.Name), 0, pdf.Left)
	d.Text(n.Body, 0, pdf.Left)
	d.Space(2)
	p.signOff(d, n.At, true)
	d.Space(6)
	th := func(s string) pdf.Cell { return pdf.Cell{Text: s, Head: true} }
	sent := ""
	if n.SentAt != nil {
		sent = t.DateTime(*n.SentAt)
	}
	d.Table([]float64{1, 2, 1, 2}, [][]pdf.Cell{
		{th(t.Get("notice.method")), {Text: t.Label("notice", n.Method)}, th(t.Get("notice.status")), {Text: t.Label("notice_status", n.Status)}},
		{th(t.Get("audit.actor")), {Text: p.person(n.By)}, th(t.Get("audit.at")), {Text: strings.TrimSpace(t.DateTime(n.At) + " " + sent)}},
		{th(t.Get("notice.proof")), {Text: n.Proof, Span: 3}},
	})
	return d.Write(w)
}

// timeline writes the case's audit events as the case page lists them,
// each with its chain hash.
func (p *caseFilePrint) timeline(w io.Writer, events []*redress.Event) error {
	t := p.t
	d := p.doc(t.Get("field.timeline"))
	d.Text(p.c.No+" · "+p.c.Subject, 0, pdf.Left)
	d.Space(2)
	th := func(s string) pdf.Cell { return pdf.Cell{Text: s, Head: true} }
	rows := [][]pdf.Cell{{th(t.Get("audit.seq")), th(t.Get("audit.at")), th(t.Get("audit.actor")), th(t.Get("audit.action")), th(t.Get("audit.detail"))}}
	for _, e := range events {
		actor := e.Actor
		if actor == "system" {
			actor = t.Get("case.system")
		}
		detail := t.EventDetail(e.Action, e.Detail)
		for _, ch := range e.Changes {
			detail += "\n" + ch.Field + ": " + ch.Before + " → " + ch.After
		}
		rows = append(rows, []pdf.Cell{{Text: strconv.FormatInt(e.Seq, 10)}, {Text: t.DateTime(e.At)}, {Text: actor}, {Text: t.EventAction(e.Action)},
			{Text: strings.TrimSpace(detail) + "\n" + t.Get("audit.hash") + " " + e.Hash}})
	}
	d.Table([]float64{0.6, 1.3, 1, 1.3, 3.8}, rows)
	return d.Write(w)
}
