package demo

import (
	"redress"
	"redress/demo/scenario"
)

// canResolveOnSpot reports whether the case may be resolved on the spot:
// it is to end answered, its matter allows it, and a member of the
// outlet's staff registers it.
func (p *planner) canResolveOnSpot() bool {
	switch p.r.target {
	case redress.StatusReplied, redress.StatusSignedOff, redress.StatusClosed:
		return p.sc.OnSpot && p.registrar.Role == redress.RoleStaff
	}
	return false
}

// resolveOnSpot: the first responder answers at once; the branch head signs
// off and the complaint manager closes after the return visit.
func (p *planner) resolveOnSpot() {
	p.r.onSpot, p.handler = true, p.registrar
	p.act(p.registrar, quick, redress.ActionRequest{Action: redress.ActionResolveOnSpot,
		Determination: p.determination(), Reply: p.reply()})
	p.finish(p.o.manager)
}

// handle is the full path: hand-over, acceptance, investigation, possibly
// escalation, determination, reply, sign-off and close, stopping at the
// target status.
func (p *planner) handle() {
	if p.registrar.Role == redress.RoleStaff && p.l.rng.Chance(0.25) {
		p.act(p.registrar, quick, reasonReq(redress.ActionEscalate, p.l.rng.Text(scenario.HandOverReasons)))
	}
	switch p.r.target {
	case redress.StatusRegistered:
		p.maybeNote(p.registrar)
		return
	case redress.StatusRejected, redress.StatusWithdrawn:
		if p.l.rng.Chance(0.4) {
			p.end()
			return
		}
	}
	p.accept()
	switch p.r.target {
	case redress.StatusRejected:
		p.end()
		return
	case redress.StatusAccepted:
		p.escalate()
		return
	}
	p.act(p.handler, days, textReq(redress.ActionInvestigate, p.particulars().Fill(p.sc.Finding)))
	if p.r.target == redress.StatusWithdrawn {
		p.end()
		return
	}
	p.escalate()
	p.examine()
	if p.r.target != redress.StatusInvestigating {
		p.replyAndFinish()
	}
}

// accept: the sub-branch's complaint manager accepts the case and handles it.
func (p *planner) accept() {
	p.handler = p.o.manager
	req := redress.ActionRequest{Action: redress.ActionAccept, Handler: p.o.manager.Login}
	if p.sc.Kind == redress.KindPetition { // the written acceptance notice (信访工作条例 Art.23); its time is set when sent
		req.Reply = redress.Reply{NoticeMethod: redress.NoticeLetter, NoticeProof: "受理告知书（挂号信）"}
	}
	p.act(p.o.manager, hours, req)
	p.maybeNote(p.handler)
}

// maybeNote sometimes has actor note the case's progress.
func (p *planner) maybeNote(actor *redress.User) {
	if p.l.rng.Chance(0.35) {
		p.act(actor, hours, textReq(redress.ActionNote, p.l.rng.Text(scenario.NoteTexts)))
	}
}

// end rejects the case (the complaint manager) or records its withdrawal
// (the handler, or the first responder before acceptance).
func (p *planner) end() {
	if p.r.target == redress.StatusRejected {
		p.act(p.o.manager, hours, reasonReq(redress.ActionReject, p.l.rng.Text(scenario.RejectReasons)))
		return
	}
	actor := p.registrar
	if p.handler != nil {
		actor = p.handler
	}
	p.act(actor, days, reasonReq(redress.ActionWithdraw, p.l.rng.Text(scenario.WithdrawReasons)))
}

// escalate sometimes raises the case beyond the complaint manager: the
// branch head to level 3, handing it to the branch's complaint manager, or
// on to level 4, where head office assigns it.
func (p *planner) escalate() {
	level := p.l.rng.EscalationLevel()
	if level < 3 {
		return
	}
	p.act(p.o.head, nextDay, reasonReq(redress.ActionEscalate, p.l.rng.Text(scenario.BranchReasons)))
	assigner := p.o.head
	if level == 3 {
		p.handler = p.o.branchManager
	} else {
		p.act(p.o.head, hours, reasonReq(redress.ActionEscalate, p.l.rng.Text(scenario.HeadOfficeReasons)))
		assigner, p.handler = p.l.hq[0], scenario.Pick(p.l.rng, p.l.hq)
		p.signer = p.otherHQ()
	}
	p.act(assigner, hours, redress.ActionRequest{Action: redress.ActionAssign, Handler: p.handler.Login})
	if p.r.target != redress.StatusAccepted {
		p.act(p.handler, days, textReq(redress.ActionInvestigate, p.l.rng.Text(scenario.ReviewFindings)))
	}
}

// otherHQ returns a head-office user who is not the handler, to sign off.
func (p *planner) otherHQ() *redress.User {
	for _, u := range p.l.hq {
		if u != p.handler {
			return u
		}
	}
	return p.l.hq[0]
}

// examine adds findings and, unless the case stops while still under
// investigation, the determination.
func (p *planner) examine() {
	if p.l.rng.Chance(0.35) {
		p.act(p.handler, days, textReq(redress.ActionInvestigate, p.l.rng.Text(scenario.MoreFindings)))
	}
	if p.r.target == redress.StatusInvestigating && p.l.rng.Chance(0.5) {
		return
	}
	p.act(p.handler, days, redress.ActionRequest{Action: redress.ActionDetermine, Determination: p.determination()})
}

// replyAndFinish replies and goes on as far as the target status.
func (p *planner) replyAndFinish() {
	p.act(p.handler, days, redress.ActionRequest{Action: redress.ActionReply, Reply: p.reply()})
	p.finish(p.handler)
}

// finish signs off and closes a replied case, as far as its target.
func (p *planner) finish(closer *redress.User) {
	if p.r.target == redress.StatusReplied {
		return
	}
	p.act(p.signer, nextDay, textReq(redress.ActionSignOff, p.l.rng.Text(scenario.SignOffTexts)))
	if p.r.target == redress.StatusSignedOff {
		return
	}
	p.close(closer)
}

// close records the return visit; a few dissatisfied customers have the
// case reopened, reviewed, answered again and closed once more.
func (p *planner) close(closer *redress.User) {
	reopen := !p.r.onSpot && p.l.rng.Chance(0.06)
	satisfaction := p.l.rng.Satisfaction()
	if reopen {
		satisfaction = redress.SatisfactionDissatisfed
	}
	p.act(closer, days, closeReq(satisfaction))
	if !reopen {
		return
	}
	p.r.reopened = true
	p.act(closer, days, reasonReq(redress.ActionReopen, p.l.rng.Text(scenario.ReopenReasons)))
	p.act(p.handler, days, textReq(redress.ActionInvestigate, p.l.rng.Text(scenario.ReviewFindings)))
	p.act(p.handler, days, redress.ActionRequest{Action: redress.ActionReply, Reply: p.reply()})
	p.act(p.signer, nextDay, textReq(redress.ActionSignOff, p.l.rng.Text(scenario.SignOffTexts)))
	p.act(closer, days, closeReq(scenario.Pick(p.l.rng, []redress.Satisfaction{redress.SatisfactionSatisfied, redress.SatisfactionBasically})))
}

// handling is what the case's determination and reply are drawn from.
func (p *planner) handling() scenario.Handling {
	return scenario.Handling{Scenario: p.sc, Particulars: p.particulars(), Liability: p.liability, OnSpot: p.r.onSpot}
}

func (p *planner) determination() redress.Determination {
	return p.l.rng.Determination(p.handling())
}

// reply is the decision notice, by the way the channel suggests (in person
// on the spot); its notice time is set when it is sent.
func (p *planner) reply() redress.Reply {
	method := redress.NoticeInPerson
	if !p.r.onSpot {
		method = p.l.rng.NoticeMethod(p.ch)
	}
	return p.l.rng.Reply(p.handling(), method, p.t)
}

func reasonReq(a redress.Action, reason string) redress.ActionRequest {
	return redress.ActionRequest{Action: a, Reason: reason}
}

func textReq(a redress.Action, text string) redress.ActionRequest {
	return redress.ActionRequest{Action: a, Text: text}
}

func closeReq(s redress.Satisfaction) redress.ActionRequest {
	return redress.ActionRequest{Action: redress.ActionClose, Satisfaction: s, Text: scenario.CloseText(s)}
}
