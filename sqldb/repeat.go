package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"redress"
)

// RepeatService finds repeat complaints and links, merges and unmerges
// cases (redress repeat.go): candidates by the blind indexes, the search
// index and the respondent unit, scored and ranked by the domain; a merge
// is a column of the merged case (merged_into_id) that the sweep and the
// overdue filter read, so its own clocks are not watched while it lasts.
type RepeatService struct{ db *DB }

// NewRepeatService returns the repeat service of db.
func NewRepeatService(db *DB) *RepeatService { return &RepeatService{db: db} }

var _ redress.RepeatService = (*RepeatService)(nil)

// settingRepeatPolicy is the settings key of the repeat window.
const settingRepeatPolicy = "repeat_policy"

// repeatScanLimit bounds each of the candidate queries (blind indexes, text,
// respondent) before the domain scores them.
const repeatScanLimit = 50

// RepeatPolicy returns the window in force (the default until an admin
// sets one).
func (s *RepeatService) RepeatPolicy(ctx context.Context) (redress.RepeatPolicy, error) {
	p := redress.DefaultRepeatPolicy()
	if _, err := (&SettingsService{db: s.db}).read(ctx, settingRepeatPolicy, &p); err != nil {
		return p, err
	}
	return p, nil
}

// SetRepeatPolicy sets the window (admin only), audited as
// system.set_repeat_policy.
func (s *RepeatService) SetRepeatPolicy(ctx context.Context, p redress.RepeatPolicy) (redress.RepeatPolicy, error) {
	if err := (&SettingsService{db: s.db}).write(ctx, settingRepeatPolicy, "system.set_repeat_policy", p.Validate, p); err != nil {
		return p, err
	}
	return s.RepeatPolicy(ctx)
}

// repeatKeys are what a draft is matched by in the store: the blind
// indexes of its complainant and its respondent's unit and staff member.
type repeatKeys struct {
	id, phone, account string
	respOrg, respStaff int64
	excludeID          int64
}

// RepeatCandidates finds the earlier cases a draft may repeat: the caller
// registers cases (redress.MayRegister).
func (s *RepeatService) RepeatCandidates(ctx context.Context, d redress.RepeatDraft) (*redress.RepeatCandidates, error) {
	u, err := s.registrar(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	if err := d.Validate(now); err != nil {
		return nil, err
	}
	k := s.db.keyring()
	keys := repeatKeys{id: k.BlindIndex("id", d.Complainant.IDNumber), phone: k.BlindIndex("phone", d.Complainant.Phone),
		account: k.BlindIndex("account", d.Complainant.Account)}
	reads := s.db.reads()
	if d.Respondent.Org != "" {
		if err := reads.QueryRowContext(ctx, `SELECT id FROM org_units WHERE code = ?`, d.Respondent.Org).Scan(&keys.respOrg); err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("repeat candidates: %w", err)
		}
	}
	if d.Respondent.Staff != "" {
		if err := reads.QueryRowContext(ctx, `SELECT id FROM users WHERE login = ?`, d.Respondent.Staff).Scan(&keys.respStaff); err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("repeat candidates: %w", err)
		}
	}
	out, err := s.candidates(ctx, reads, u, &d, keys)
	return out, wrap("repeat candidates", err)
}

// CaseRepeats finds the earlier cases a registered case may repeat.
func (s *RepeatService) CaseRepeats(ctx context.Context, no string) (*redress.RepeatCandidates, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	reads := s.db.reads()
	c, err := s.db.loadCase(ctx, reads, u, no)
	if err != nil {
		return nil, err
	}
	keys := repeatKeys{excludeID: c.ID, respOrg: c.respondentOrgID, respStaff: c.respondentStaffID}
	if err := reads.QueryRowContext(ctx, `SELECT c_id_number_idx, c_phone_idx, c_account_idx FROM cases WHERE id = ?`, c.ID).
		Scan(&keys.id, &keys.phone, &keys.account); err != nil {
		return nil, fmt.Errorf("repeats of %s: %w", no, err)
	}
	d := redress.RepeatDraft{Kind: c.Kind, ReceivedAt: c.ReceivedAt, Respondent: c.Respondent, Subject: c.Subject,
		Description: c.Description, Exclude: c.No}
	out, err := s.candidates(ctx, reads, u, &d, keys)
	return out, wrap("repeats of "+no, err)
}

// candidates gathers the cases in the user's scope received in the window
// before the draft (at most repeatScanLimit per way of matching), finds
// which keys each shares, and lets the domain score and rank them.
func (s *RepeatService) candidates(ctx context.Context, q querier, u *redress.User, d *redress.RepeatDraft, k repeatKeys) (*redress.RepeatCandidates, error) {
	policy, err := s.RepeatPolicy(ctx)
	if err != nil {
		return nil, err
	}
	since := policy.Since(d.ReceivedAt)
	scope, scopeArgs, err := s.db.caseScopeSQL(ctx, u)
	if err != nil {
		return nil, err
	}
	window := ` AND c.received_at >= ? AND c.received_at <= ? AND c.id <> ?`
	windowArgs := []any{timeText(since), timeText(d.ReceivedAt), k.excludeID}
	seen := map[int64]bool{}
	var ids []int64
	collect := func(from, cond, order string, args ...any) error {
		all := append(append(append([]any{}, args...), windowArgs...), scopeArgs...)
		rows, err := q.QueryContext(ctx, `SELECT c.id FROM `+from+` WHERE `+cond+window+scope+` ORDER BY `+order+` LIMIT ?`,
			append(all, repeatScanLimit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		return rows.Err()
	}
	for _, key := range []struct{ column, value string }{{"c.c_id_number_idx", k.id}, {"c.c_account_idx", k.account}, {"c.c_phone_idx", k.phone}} {
		if key.value == "" {
			continue
		}
		if err := collect(`cases c`, key.column+` = ?`, `c.id DESC`, key.value); err != nil {
			return nil, err
		}
	}
	if k.respOrg != 0 {
		if err := collect(`cases c`, `c.respondent_org_id = ?`, `c.id DESC`, k.respOrg); err != nil {
			return nil, err
		}
	}
	if terms := distinctSubjectTerms(d); len(terms) > 0 {
		from, where, order, arg := s.db.dialect.searchAny(terms)
		if err := collect(from, where, order, arg); err != nil {
			return nil, err
		}
	}
	out := &redress.RepeatCandidates{WindowDays: policy.WindowDays, Since: redress.DateOf(since).String(), Candidates: []redress.RepeatCandidate{}}
	if len(ids) > 0 {
		cands, err := s.score(ctx, q, d, k, ids)
		if err != nil {
			return nil, err
		}
		out.Candidates = redress.RankRepeats(cands, d, s.db.now())
	}
	for _, c := range out.Candidates {
		if c.Refusal != "" {
			out.Refusal = c.Refusal
			break
		}
	}
	return out, nil
}

// distinctSubjectTerms are the terms the text index is asked for: those of
// the subject when it has some (it names the matter), else the draft's.
func distinctSubjectTerms(d *redress.RepeatDraft) []string {
	subject := redress.RepeatDraft{Subject: d.Subject}
	if terms := subject.TextTerms(); len(terms) > 0 {
		return terms[:min(len(terms), 12)]
	}
	terms := d.TextTerms()
	return terms[:min(len(terms), 12)]
}

// score loads the gathered cases (with their reviews: a re-examined
// petition is refused) and what keys each shares with the draft.
func (s *RepeatService) score(ctx context.Context, q querier, d *redress.RepeatDraft, k repeatKeys, ids []int64) ([]redress.RepeatCandidate, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	facts := map[int64]redress.RepeatFacts{}
	rows, err := q.QueryContext(ctx, `SELECT id, c_id_number_idx, c_phone_idx, c_account_idx, COALESCE(respondent_org_id, 0),
		COALESCE(respondent_staff_id, 0) FROM cases WHERE id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, org, staff int64
		var idx, phone, account string
		if err := rows.Scan(&id, &idx, &phone, &account, &org, &staff); err != nil {
			rows.Close()
			return nil, err
		}
		facts[id] = redress.RepeatFacts{SameID: k.id != "" && idx == k.id, SamePhone: k.phone != "" && phone == k.phone,
			SameAccount: k.account != "" && account == k.account, SameRespondent: k.respOrg != 0 && org == k.respOrg,
			SameStaff: k.respStaff != 0 && staff == k.respStaff}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, caseSelect+` WHERE c.id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	var loaded []*caseRow
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		loaded = append(loaded, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []redress.RepeatCandidate
	for _, c := range loaded {
		if err := s.db.mask(c); err != nil {
			return nil, err
		}
		if err := s.db.loadCaseDetails(ctx, q, c); err != nil {
			return nil, err
		}
		score, why := redress.ScoreRepeat(d, c.Case, facts[c.ID])
		out = append(out, redress.RepeatCandidate{Case: c.Case, Score: score, Reasons: why})
	}
	return out, nil
}

// registrar is the acting user when they register cases.
func (s *RepeatService) registrar(ctx context.Context) (*redress.User, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !redress.MayRegister(u.Role) {
		return nil, redress.Errorf(redress.EFORBIDDEN, "role %s does not register cases", u.Role)
	}
	return u, nil
}

// pair loads a case and the other case it is merged or linked with, both
// in the user's scope, the first at the version sent (0: any).
func (s *RepeatService) pair(ctx context.Context, tx *Tx, u *redress.User, no, other string, version int) (*caseRow, *caseRow, error) {
	c, err := s.db.loadCase(ctx, tx, u, no)
	if err != nil {
		return nil, nil, err
	}
	if version != 0 && c.Version != version {
		return nil, nil, s.db.staleVersion(ctx, tx, c, version)
	}
	if other == "" {
		return c, nil, nil
	}
	o, err := s.db.loadCase(ctx, tx, u, other)
	if err != nil {
		return nil, nil, err
	}
	return c, o, nil
}

// change runs one repeat write of case no for a registrar: the request's
// own check, then write in a transaction, then the case as it now is.
func (s *RepeatService) change(ctx context.Context, what, no string, validate func() error,
	write func(tx *Tx, u *redress.User) error) (*redress.Case, error) {
	u, err := s.registrar(ctx)
	if err != nil {
		return nil, err
	}
	if err := validate(); err != nil {
		return nil, err
	}
	var out *caseRow
	err = s.db.inTx(ctx, func(tx *Tx) error {
		if err := write(tx, u); err != nil {
			return err
		}
		out, err = s.db.loadCase(ctx, tx, u, no)
		return err
	})
	if err != nil {
		return nil, wrap(what, err)
	}
	return out.Case, nil
}

// Merge merges case no into r.Into (redress.MergeRule: Order 2020 No.3
// Art.18), tells the complainant by a customer notice of kind merged, and
// records case.merge on both cases.
func (s *RepeatService) Merge(ctx context.Context, no string, r redress.MergeRequest) (*redress.Case, error) {
	return s.change(ctx, "merge case", no, r.Validate, func(tx *Tx, u *redress.User) error {
		c, survivor, err := s.pair(ctx, tx, u, no, r.Into, r.Version)
		if err != nil {
			return err
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteMerge); err != nil {
			return err
		}
		now := s.db.now().In(redress.Beijing)
		if err := redress.MergeRule(c.Case, survivor.Case, now); err != nil {
			return err
		}
		before := *c.Case
		c.mergedIntoID, c.MergedInto, c.MergedAt, c.MergedDue = survivor.ID, survivor.No, &now, survivor.DecisionDue
		if err := s.rewrite(ctx, tx, c, &before, u, now, "case.merge", "merged into "+survivor.No+" — "+r.Reason); err != nil {
			return err
		}
		if err := s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, survivor.No), Actor: u.Login,
			Action: "case.merge", At: now, Detail: "merged in: " + c.No + " — " + r.Reason,
			Changes: []redress.Change{{Field: "merged", After: c.No}}}); err != nil {
			return err
		}
		notices := &CustomerNoticeService{db: s.db}
		_, err = notices.send(ctx, tx, c.No, redress.NoticeRequest{Kind: redress.NoticeMerged, Method: r.Notice, Proof: r.Proof})
		return err
	})
}

// Unmerge ends the merge of case no (redress.UnmergeRule): its own clocks
// run again. Recorded as case.unmerge on both cases.
func (s *RepeatService) Unmerge(ctx context.Context, no string, r redress.UnmergeRequest) (*redress.Case, error) {
	return s.change(ctx, "unmerge case", no, r.Validate, func(tx *Tx, u *redress.User) error {
		c, _, err := s.pair(ctx, tx, u, no, "", r.Version)
		if err != nil {
			return err
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteUnmerge); err != nil {
			return err
		}
		if err := redress.UnmergeRule(c.Case); err != nil {
			return err
		}
		now := s.db.now().In(redress.Beijing)
		before := *c.Case
		survivor := c.MergedInto
		c.mergedIntoID, c.MergedInto, c.MergedAt, c.MergedDue = 0, "", nil, ""
		if err := s.rewrite(ctx, tx, c, &before, u, now, "case.unmerge", "merge into "+survivor+" ended — "+r.Reason); err != nil {
			return err
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, survivor), Actor: u.Login,
			Action: "case.unmerge", At: now, Detail: "merge of " + c.No + " ended — " + r.Reason,
			Changes: []redress.Change{{Field: "merged", Before: c.No}}})
	})
}

// rewrite persists a merge or unmerge of c: its version, the row, and the
// case's event (action case.merge or case.unmerge) with what changed.
func (s *RepeatService) rewrite(ctx context.Context, tx *Tx, c *caseRow, before *redress.Case, u *redress.User, now time.Time,
	action, reason string) error {
	old := c.Version
	c.Version++
	c.UpdatedAt = now
	if err := s.db.updateCase(ctx, tx, c, old); err != nil {
		return err
	}
	return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login,
		Action: action, At: now, Changes: redress.DiffCase(before, c.Case), Detail: reason})
}

// closeMerged closes the open cases merged into a survivor just closed
// (redress.CloseWithSurvivor), each archived with its snapshot and its
// own case.close event naming the survivor.
func (db *DB) closeMerged(ctx context.Context, tx *Tx, survivor *caseRow, actor *redress.User, now time.Time) error {
	if len(survivor.Merged) == 0 {
		return nil
	}
	for _, no := range survivor.Merged {
		m, err := db.loadCaseRow(ctx, tx, no)
		if err != nil {
			return err
		}
		before := *m.Case
		if !redress.CloseWithSurvivor(m.Case, survivor.Case, now) {
			continue
		}
		redress.FollowArchive(m.Case, before.Status, now)
		old := m.Version
		m.Version++
		if err := db.updateCase(ctx, tx, m, old); err != nil {
			return err
		}
		if err := db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, m.No), Actor: actor.Login,
			Action: redress.CaseEventAction(redress.ActionClose), At: now, Changes: redress.DiffCase(&before, m.Case),
			Detail: "closed with " + survivor.No + " (merged, Order 2020 No.3 Art.18)"}); err != nil {
			return err
		}
		if err := db.saveArchive(ctx, tx, m.No, now); err != nil {
			return err
		}
	}
	return nil
}

// Link records case no as a repeat of r.To (redress.LinkRule), audited as
// case.link on the case; it changes no version.
func (s *RepeatService) Link(ctx context.Context, no string, r redress.LinkRequest) (*redress.Case, error) {
	return s.change(ctx, "link case", no, r.Validate, func(tx *Tx, u *redress.User) error {
		c, earlier, err := s.pair(ctx, tx, u, no, r.To, 0)
		if err != nil {
			return err
		}
		if err := redress.ArchiveRule(c.Case, redress.WriteLink); err != nil {
			return err
		}
		if err := redress.ArchiveRule(earlier.Case, redress.WriteLinkFrom); err != nil {
			return err
		}
		if err := redress.LinkRule(c.Case, earlier.Case); err != nil {
			return err
		}
		now := s.db.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_links (case_id, linked_id, by_id, at, reason) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (case_id, linked_id) DO NOTHING`, c.ID, earlier.ID, u.ID, timeText(now), r.Reason); err != nil {
			return fmt.Errorf("link case: %w", err)
		}
		return s.db.appendEvent(ctx, tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No), Actor: u.Login,
			Action: "case.link", At: now, Detail: "a repeat of " + earlier.No + optionalDash(r.Reason),
			Changes: []redress.Change{{Field: "repeat_of", After: earlier.No}}})
	})
}

func optionalDash(s string) string {
	if s == "" {
		return ""
	}
	return " — " + s
}

// loadRepeatLinks reads the cases merged into c and its links as a repeat
// (either way), by tracking number.
func (db *DB) loadRepeatLinks(ctx context.Context, q querier, c *caseRow) error {
	for _, part := range []struct {
		query string
		dst   *[]string
	}{
		{`SELECT no FROM cases WHERE merged_into_id = ? ORDER BY id`, &c.Merged},
		{`SELECT o.no FROM case_links l JOIN cases o ON o.id = l.linked_id WHERE l.case_id = ? ORDER BY l.id`, &c.RepeatOf},
		{`SELECT o.no FROM case_links l JOIN cases o ON o.id = l.case_id WHERE l.linked_id = ? ORDER BY l.id`, &c.RepeatedBy},
	} {
		rows, err := q.QueryContext(ctx, part.query, c.ID)
		if err != nil {
			return fmt.Errorf("load repeats of %s: %w", c.No, err)
		}
		*part.dst = nil
		for rows.Next() {
			var no string
			if err := rows.Scan(&no); err != nil {
				rows.Close()
				return fmt.Errorf("load repeats of %s: %w", c.No, err)
			}
			*part.dst = append(*part.dst, no)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("load repeats of %s: %w", c.No, err)
		}
	}
	return nil
}
