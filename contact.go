package redress

// This file is the contact with the customer while a complaint is handled
// (seed 002 Art.7(二): 对当场不能答复的，应在三日内回复客户; Art.8(三): 和客户约定
// 回复时限). The first contact satisfies the branch-reply clock and stays on
// the case; a later one (the customer calls back, the bank asks for more
// time for its answer) is recorded on the timeline and, when it agrees a new
// reply date, moves the agreed clock with an entry in the deadline history.
// What is agreed never moves the law's clocks: an agreed date after the
// decision deadline is kept but flagged (AgreedReplyAfterDeadline).

// ClockAgreedReply names the agreed reply clock in the deadline history.
const ClockAgreedReply = "agreed_reply"

// contact records a contact with the customer on the case.
func contact(c *Case, fx *ActionEffect, in ActionInput) {
	req := in.Request
	n := notice(req)
	if c.Contact == nil {
		c.Contact = &Contact{By: in.Actor.Login, At: in.Now, Text: req.Text, Notice: *n, AgreedReplyDate: req.AgreedReplyDate}
	}
	if req.AgreedReplyDate != "" && req.AgreedReplyDate != c.AgreedReplyDue {
		fx.Deadline = &DeadlineChange{At: in.Now, Actor: in.Actor.Login, Action: string(ActionContact),
			Clock: ClockAgreedReply, Before: c.AgreedReplyDue, After: req.AgreedReplyDate, Notice: n}
		c.AgreedReplyDue = req.AgreedReplyDate
	}
	satisfyReply(c, req)
	fx.Detail = req.Text
}

// AgreedReplyAfterDeadline reports whether the reply date agreed with the
// customer falls after the decision deadline in force while that clock
// runs: the agreement does not extend the law's deadline (CBIRC Order 2020
// No.3 Art.18: 15 days, extended only with a notice and, at the last step,
// an approval), so the page warns that the decision is still due on its
// own date.
func (c *Case) AgreedReplyAfterDeadline() bool {
	return c.AgreedReplyDue != "" && c.DecisionDue != "" && c.ClockRunning(DueAgreedReply) && c.AgreedReplyDue > c.DecisionDue
}
