package sqldb

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"redress"
)

// legacyEvents are events as the code before migration 0007 wrote them,
// one of every action it had, each with the subject the migration must
// derive for it.
func legacyEvents() []struct {
	e    redress.Event
	want redress.Subject
} {
	const no = "TS20261120-00001"
	ch := func(kv ...string) []redress.Change {
		var out []redress.Change
		for i := 0; i+2 < len(kv); i += 3 {
			out = append(out, redress.Change{Field: kv[i], Before: kv[i+1], After: kv[i+2]})
		}
		return out
	}
	s := redress.NewSubject
	return []struct {
		e    redress.Event
		want redress.Subject
	}{
		{redress.Event{Actor: "system", Action: "bootstrap", Changes: ch("org", "", "HQ", "user", "", "admin")}, s(redress.SubjectSystem, "")},
		{redress.Event{Actor: "admin", Action: "org.create", Changes: ch("code", "", "BJ", "name", "", "北京分行", "kind", "", "branch", "parent", "", "HQ")}, s(redress.SubjectOrg, "BJ")},
		{redress.Event{Actor: "admin", Action: "user.create", Changes: ch("login", "", "wang.fang", "name", "", "王芳", "role", "", "staff", "org", "", "BJ")}, s(redress.SubjectUser, "wang.fang")},
		{redress.Event{Actor: "admin", Action: "user.update", Changes: ch("role", "staff", "manager"), Detail: "wang.fang"}, s(redress.SubjectUser, "wang.fang")},
		{redress.Event{Actor: "wang.fang", Action: "session.sign_in", Detail: "127.0.0.1"}, s(redress.SubjectSession, "wang.fang")},
		{redress.Event{Actor: "nobody", Action: "session.failed", Detail: "unknown login 127.0.0.1"}, s(redress.SubjectSession, "nobody")},
		{redress.Event{Actor: "wang.fang", Action: "user.password", Changes: ch("password", "(set)", "(changed)")}, s(redress.SubjectUser, "wang.fang")},
		{redress.Event{Actor: "wang.fang", Action: "token.create", Changes: ch("user", "", "wang.fang", "label", "", "脚本"), Detail: "token 1"}, s(redress.SubjectToken, "1")},
		{redress.Event{Actor: "admin", Action: "token.revoke", Changes: ch("user", "wang.fang", ""), Detail: "token 1"}, s(redress.SubjectToken, "1")},
		{redress.Event{Actor: "admin", Action: "code.save", Changes: ch("name", "营业现场", "营业网点"), Detail: "A01"}, s(redress.SubjectCode, "A01")},
		{redress.Event{Actor: "admin", Action: "calendar.save", Changes: ch("schedule", "", `{"region":"CN","year":2027}`), Detail: "CN 2027"}, s(redress.SubjectCalendar, "CN/2027")},
		{redress.Event{Actor: "admin", Action: "calendar.delete", Detail: "CN 2027"}, s(redress.SubjectCalendar, "CN/2027")},
		{redress.Event{Actor: "admin", Action: "policy.save", Changes: ch("policy", "", `{"name":"complaint"}`), Detail: "complaint"}, s(redress.SubjectPolicy, "complaint")},
		{redress.Event{Actor: "operator", Action: "keys.rotate", Changes: ch("key_version", "", "2"), Detail: "1 cases examined, 1 re-encrypted, 0 remaining"}, s(redress.SubjectKeys, "")},
		{redress.Event{CaseNo: no, Actor: "wang.fang", Action: "register", Changes: ch("status", "", "registered")}, s(redress.SubjectCase, no)},
		{redress.Event{CaseNo: no, Actor: "wang.fang", Action: "accept", Changes: ch("status", "registered", "accepted")}, s(redress.SubjectCase, no)},
		{redress.Event{CaseNo: no, Actor: "wang.fang", Action: "case.reveal", Changes: ch("complainant.phone", "", ""), Detail: "回电"}, s(redress.SubjectCase, no)},
		{redress.Event{CaseNo: no, Actor: "wang.fang", Action: "case.evidence", Changes: ch("evidence.name", "", "凭证.pdf")}, s(redress.SubjectCase, no)},
		{redress.Event{CaseNo: no, Actor: "system", Action: "escalate", Changes: ch("level", "1", "2"), Detail: "已超期"}, s(redress.SubjectCase, no)},
		{redress.Event{Actor: "wang.fang", Action: "session.sign_out"}, s(redress.SubjectSession, "wang.fang")},
	}
}

// openMigratedTo opens a new database of the current engine with the
// migrations up to and including last applied, as Migrate applied them.
func openMigratedTo(t *testing.T, last string) *DB {
	t.Helper()
	ctx := context.Background()
	keys, err := redress.NewKeyring(map[int][]byte{1: bytes.Repeat([]byte{7}, redress.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(ctx, testEngine.NewDatabase(t), keys, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	dir := "migrations/" + db.dialect.name
	entries, err := migrations.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			return err
		}
		for _, e := range entries {
			version := strings.TrimSuffix(e.Name(), ".sql")
			if version > last {
				break
			}
			body, err := migrations.ReadFile(dir + "/" + e.Name())
			if err != nil {
				return err
			}
			if err := tx.execScript(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", version, err)
			}
			if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
				version, timeText(time.Now())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// TestLegacyEventsMigrate: a chain written before migration 0007 (the old
// columns, the old hashed form, the old action names) verifies after it,
// every event has the subject its content names, the new events continue
// the chain with their subject hashed, the filters by action prefix, by
// action and by subject find old and new events alike, and tampering with
// a subject, old or new, breaks the chain.
func TestLegacyEventsMigrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openMigratedTo(t, "0006_queue_index")
	legacy := legacyEvents()
	seq, hash := int64(0), redress.GenesisHash
	for i := range legacy {
		// What the old appendEvent did.
		e := &legacy[i].e
		e.At = time.Date(2026, 11, 20, 1, i, 0, 0, time.UTC)
		e.Seq, e.PrevHash = seq+1, hash
		e.Hash = e.ComputeHash() // form 0: the legacy form
		changes, err := json.Marshal(e.Changes)
		if err != nil {
			t.Fatal(err)
		}
		if e.Changes == nil {
			changes = []byte("[]")
		}
		if _, err := db.write.ExecContext(ctx, db.dialect.rebind(`INSERT INTO events
			(seq, case_no, actor, action, at, changes, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			e.Seq, e.CaseNo, e.Actor, e.Action, timeText(e.At), string(changes), e.Detail, e.PrevHash, e.Hash); err != nil {
			t.Fatal(err)
		}
		seq, hash = e.Seq, e.Hash
	}
	if _, err := db.write.ExecContext(ctx, db.dialect.rebind(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`), seq, hash); err != nil {
		t.Fatal(err)
	}

	if n, err := db.Migrate(ctx); err != nil || n < 1 {
		t.Fatalf("migrate the legacy database: %d applied, %v", n, err) // 0007 and the later ones
	}
	verify := func(wantOK bool, wantBad int64) {
		t.Helper()
		r, err := db.VerifyAuditAsOperator(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.OK != wantOK || r.FirstBad != wantBad || (!wantOK && !strings.Contains(r.Problem, "altered")) {
			t.Fatalf("verify: want ok=%v first bad %d, got %+v", wantOK, wantBad, r)
		}
	}
	verify(true, 0)
	rows, err := db.read.QueryContext(ctx, `SELECT seq, subject_kind, subject_id, form FROM events ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq int64
		var kind, id string
		var form int
		if err := rows.Scan(&seq, &kind, &id, &form); err != nil {
			t.Fatal(err)
		}
		l := legacy[seq-1]
		if got := redress.NewSubject(redress.SubjectKind(kind), id); got != l.want || form != redress.EventFormLegacy {
			t.Errorf("event %d (%s): subject %+v form %d, want %+v form 0", seq, l.e.Action, got, form, l.want)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}

	// New events continue the chain, in the new form.
	const no = "TS20261120-00001"
	for _, e := range []*redress.Event{
		{Subject: redress.NewSubject(redress.SubjectCase, no), Actor: "wang.fang", Action: redress.CaseEventAction(redress.ActionNote), At: time.Date(2026, 11, 21, 1, 0, 0, 0, time.UTC)},
		{Subject: redress.NewSubject(redress.SubjectUser, "wang.fang"), Actor: "admin", Action: "user.update", At: time.Date(2026, 11, 21, 1, 1, 0, 0, time.UTC), Detail: "wang.fang"},
	} {
		if err := db.inTx(ctx, func(tx *Tx) error { return db.appendEvent(ctx, tx, e) }); err != nil {
			t.Fatal(err)
		}
	}
	verify(true, 0)

	auditor := redress.WithUser(ctx, &redress.User{Login: "auditor", Role: redress.RoleAuditor})
	audit := NewAuditService(db)
	for _, tt := range []struct {
		f    redress.AuditFilter
		want []int64
	}{
		{redress.AuditFilter{Action: "case."}, []int64{21, 19, 18, 17, 16, 15}},
		{redress.AuditFilter{Action: "case.accept"}, []int64{16}},
		{redress.AuditFilter{Action: "accept"}, []int64{16}},
		{redress.AuditFilter{Action: "case.note"}, []int64{21}},
		{redress.AuditFilter{Action: "case.add_evidence"}, []int64{18}},
		{redress.AuditFilter{Action: "case.reveal"}, []int64{17}},
		{redress.AuditFilter{Action: "system."}, []int64{1}},
		{redress.AuditFilter{Action: "system.bootstrap"}, []int64{1}},
		{redress.AuditFilter{Action: "session."}, []int64{20, 6, 5}},
		{redress.AuditFilter{Action: "user."}, []int64{22, 7, 4, 3}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectUser, "wang.fang")}, []int64{22, 7, 4, 3}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectCase, no)}, []int64{21, 19, 18, 17, 16, 15}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectCase, no), Action: "case.escalate"}, []int64{19}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectToken, "1")}, []int64{9, 8}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectCalendar, "CN/2027")}, []int64{12, 11}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectKeys, "")}, []int64{14}},
		{redress.AuditFilter{Subject: redress.NewSubject(redress.SubjectCase, no), Limit: 2, Before: 19}, []int64{18, 17}},
	} {
		page, err := audit.ListEvents(auditor, tt.f)
		if err != nil {
			t.Fatalf("%+v: %v", tt.f, err)
		}
		var got []int64
		for _, e := range page.Events {
			got = append(got, e.Seq)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v: events %v, want %v", tt.f, got, tt.want)
		}
	}
	_, err = audit.ListEvents(auditor, redress.AuditFilter{Subject: redress.Subject{ID: no}})
	wantCode(t, err, redress.EINVALID)

	for _, tt := range []struct {
		name, tamper, restore string
		firstBad              int64
	}{
		{"a new event's subject id", `UPDATE events SET subject_id = 'TS20261120-00002' WHERE seq = 21`,
			`UPDATE events SET subject_id = 'TS20261120-00001' WHERE seq = 21`, 21},
		{"a new event's subject kind", `UPDATE events SET subject_kind = 'org' WHERE seq = 22`,
			`UPDATE events SET subject_kind = 'user' WHERE seq = 22`, 22},
		{"a new event's form", `UPDATE events SET form = 0 WHERE seq = 22`, `UPDATE events SET form = 1 WHERE seq = 22`, 22},
		{"an old event's derived subject", `UPDATE events SET subject_kind = 'user' WHERE seq = 16`,
			`UPDATE events SET subject_kind = 'case' WHERE seq = 16`, 16},
		{"an old event's derived id", `UPDATE events SET subject_id = 'li.si' WHERE seq = 3`,
			`UPDATE events SET subject_id = 'wang.fang' WHERE seq = 3`, 3},
		{"an old event's form", `UPDATE events SET form = 1 WHERE seq = 2`, `UPDATE events SET form = 0 WHERE seq = 2`, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.write.ExecContext(ctx, tt.tamper); err != nil {
				t.Fatal(err)
			}
			verify(false, tt.firstBad)
			if _, err := db.write.ExecContext(ctx, tt.restore); err != nil {
				t.Fatal(err)
			}
			verify(true, 0)
		})
	}
}

// TestEventsNameTheirSubject: every event the services write names a
// subject as CheckName requires (appendEvent refuses others), and the
// subject of each is the one its action is about.
func TestEventsNameTheirSubject(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.register(t, "staff.bj")
	f.act(t, "mgr.bj", c, redress.ActionRequest{Action: redress.ActionAccept})
	page, err := NewAuditService(f.db).ListEvents(f.as("auditor"), redress.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]redress.Subject{}
	for _, e := range page.Events {
		if e.Form != redress.EventFormSubject || e.CheckName() != nil {
			t.Errorf("event %d %s on %+v: form %d, %v", e.Seq, e.Action, e.Subject, e.Form, e.CheckName())
		}
		seen[e.Action+" "+e.Subject.ID] = e.Subject
	}
	for _, want := range []string{"system.bootstrap ", "org.create BJ-HD", "user.create staff.bj", "case.register " + c.No, "case.accept " + c.No} {
		if _, ok := seen[want]; !ok {
			t.Errorf("no event %q among %v", want, seen)
		}
	}
	err = f.db.inTx(context.Background(), func(tx *Tx) error {
		return f.db.appendEvent(context.Background(), tx, &redress.Event{Subject: redress.NewSubject(redress.SubjectCase, c.No),
			Actor: "x", Action: string(redress.ActionNote), At: f.clock})
	})
	if err == nil || !strings.Contains(err.Error(), "case.<verb>") {
		t.Fatalf("a bare lifecycle name must be refused: %v", err)
	}
}

// TestLegacyMigrateAlteredChanges: an old event whose changes column was
// altered into something that is not JSON does not stop the migration; the
// verifier reports it, as it did before.
func TestLegacyMigrateAlteredChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openMigratedTo(t, "0006_queue_index")
	e := &redress.Event{Seq: 1, PrevHash: redress.GenesisHash, Actor: "admin", Action: "user.create",
		At: time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC), Changes: []redress.Change{{Field: "login", After: "wang.fang"}}}
	e.Hash = e.ComputeHash()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO events (seq, case_no, actor, action, at, changes, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[]any{e.Seq, "", e.Actor, e.Action, timeText(e.At), `[{"field":"login","after":`, "", e.PrevHash, e.Hash}},
		{`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, []any{e.Seq, e.Hash}},
	} {
		if _, err := db.write.ExecContext(ctx, db.dialect.rebind(q.sql), q.args...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("an altered event must not stop the migration: %v", err)
	}
	r, err := db.VerifyAuditAsOperator(ctx)
	if err != nil || r.OK || r.FirstBad != 1 || !strings.Contains(r.Problem, "altered") {
		t.Fatalf("want event 1 altered, got %+v %v", r, err)
	}
}
