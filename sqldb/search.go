package sqldb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"redress"
)

// SearchService finds cases by tracking number, complainant name or text.
type SearchService struct{ db *DB }

// NewSearchService returns the search service of db.
func NewSearchService(db *DB) *SearchService { return &SearchService{db: db} }

var _ redress.SearchService = (*SearchService)(nil)

// indexStored rewrites the search document of one case from what is
// stored (redress.SearchDocument of the case as loaded): for reindexing.
// Intake and actions write the document from the case they hold instead.
func (db *DB) indexStored(ctx context.Context, tx *Tx, no string) error {
	c, err := db.loadCaseRow(ctx, tx, no)
	if err != nil {
		return fmt.Errorf("index case %s: %w", no, err)
	}
	return db.writeSearchDocument(ctx, tx, c.ID, redress.SearchDocument(c.Case), false)
}

// writeSearchDocument replaces the search document of a case; a case just
// registered (fresh) has none to remove.
func (db *DB) writeSearchDocument(ctx context.Context, q *Tx, id int64, document string, fresh bool) error {
	if fresh && q.batch != nil {
		q.batch.docs = append(q.batch.docs, []any{id, document}) // inserted with the batch's others, last
		return nil
	}
	remove, add := db.dialect.searchReplace()
	if !fresh {
		if _, err := q.ExecContext(ctx, remove, id); err != nil {
			return fmt.Errorf("search document %d: %w", id, err)
		}
	}
	if _, err := q.ExecContext(ctx, add, id, document); err != nil {
		return fmt.Errorf("search document %d: %w", id, err)
	}
	return nil
}

// ReindexSearch rebuilds the search document of every case, a batch per
// transaction. Migrate runs it when the search index is first created.
func (db *DB) ReindexSearch(ctx context.Context) (int, error) {
	done := 0
	var after int64
	for {
		var ids []int64
		var nos []string
		rows, err := db.writes().QueryContext(ctx, `SELECT id, no FROM cases WHERE id > ? ORDER BY id LIMIT 1000`, after)
		if err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		for rows.Next() {
			var id int64
			var no string
			if err := rows.Scan(&id, &no); err != nil {
				rows.Close()
				return done, fmt.Errorf("reindex: %w", err)
			}
			ids, nos = append(ids, id), append(nos, no)
		}
		rows.Close()
		if len(ids) == 0 {
			return done, nil
		}
		err = db.inTx(ctx, func(tx *Tx) error {
			for _, no := range nos {
				if err := db.indexStored(ctx, tx, no); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		done += len(ids)
		after = ids[len(ids)-1]
	}
}

// Search returns the best matches in the caller's scope. Candidates come
// from an exact tracking number, an exact complainant name and the text
// index (newest first, straight off the index); they are then scored: an
// exact number or name first, then a match in the subject, then recency.
func (s *SearchService) Search(ctx context.Context, q redress.SearchQuery) ([]*redress.SearchResult, error) {
	u, err := caseReaderFrom(ctx)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	scope, scopeArgs, err := s.db.caseScopeSQL(ctx, u)
	if err != nil {
		return nil, err
	}
	boost := map[int64]float64{}
	var ids []int64
	add := func(id int64, score float64) {
		if _, seen := boost[id]; !seen {
			ids = append(ids, id)
		}
		boost[id] += score
	}
	exact := []struct {
		column string
		score  float64
	}{{"c.no", 10}, {"c.c_name", 5}}
	for _, e := range exact {
		if e.column == "c.no" && !redress.ValidTrackingNumber(strings.ToUpper(q.Q)) {
			continue
		}
		found, err := s.db.searchIDs(ctx, `cases c`, e.column+` = ?`, `c.id DESC`, strings.ToUpper(q.Q), scope, scopeArgs, q.Limit)
		if e.column == "c.c_name" {
			found, err = s.db.searchIDs(ctx, `cases c`, e.column+` = ?`, `c.id DESC`, q.Q, scope, scopeArgs, q.Limit)
		}
		if err != nil {
			return nil, err
		}
		for _, id := range found {
			add(id, e.score)
		}
	}
	found, err := s.db.searchText(ctx, redress.SearchTerms(q.Q), scope, scopeArgs, 2*q.Limit)
	if err != nil {
		return nil, err
	}
	for i, id := range found {
		add(id, 1+float64(len(found)-i)/float64(len(found)+1)) // newer ranks higher
	}
	if len(ids) == 0 {
		return []*redress.SearchResult{}, nil
	}
	rows, err := s.db.loadRows(ctx, ids)
	if err != nil {
		return nil, err
	}
	results := make([]*redress.SearchResult, 0, len(rows))
	for _, c := range rows {
		findings := s.db.findingsText(ctx, c.ID)
		facts := ""
		if c.Reply != nil {
			facts = c.Reply.Facts + " " + c.Reply.Basis
		}
		frag, ok := redress.FindFragment(q.Q, 60, "subject", c.Subject, "description", c.Description,
			"findings", findings, "reply", facts, "complainant", c.Complainant.Name, "no", c.No)
		score := boost[c.ID]
		if ok && frag.Field == "subject" {
			score += 3
		}
		if !ok && boost[c.ID] < 5 {
			continue // the phrase spans two fields, or the document is stale: not a real match
		}
		results = append(results, &redress.SearchResult{Case: c.Case, Score: score, Fragment: frag})
	}
	sort.SliceStable(results, func(i, j int) bool { return results[i].Score > results[j].Score })
	if len(results) > q.Limit {
		results = results[:q.Limit]
	}
	return results, nil
}

// searchWindow is how many of the newest search documents PostgreSQL
// reads one by one, newest first, before it turns to the text index.
const searchWindow = 10000

// searchText returns the newest cases in scope whose search document holds
// the terms as a phrase, up to limit.
//
// SQLite's FTS5 reads its matches in row order straight off the index and
// stops at the limit. PostgreSQL's GIN index cannot: its bitmap scan finds
// every match first and checks the phrase on each, so a frequent phrase
// (信用卡年费: 4,378 of 100,000 cases) took a second and grew with the
// bank. PostgreSQL therefore first walks the newest searchWindow documents
// in order, checking each (a frequent phrase fills the page within a few
// hundred), and only when that finds too few asks the GIN index, whose cost
// is then that of a phrase found rarely.
func (db *DB) searchText(ctx context.Context, terms []string, scope string, scopeArgs []any, limit int) ([]int64, error) {
	from, where, order, arg := db.dialect.searchMatch(terms)
	if db.dialect.name == "postgres" {
		var recent []int64
		err := db.inSnapshot(ctx, func(tx *Tx) error {
			// Within the window the walk in order is the plan wanted; the
			// planner, misjudging a phrase of bigrams as rare, would take
			// the bitmap scan.
			if _, err := tx.ExecContext(ctx, `SET LOCAL enable_bitmapscan = off`); err != nil {
				return err
			}
			args := append(append([]any{searchWindow, arg}, scopeArgs...), limit)
			var err error
			recent, err = queryIDs(ctx, tx, `SELECT c.id FROM `+from+` WHERE s.case_id > (SELECT COALESCE(MAX(case_id), 0) FROM case_search) - ?
				AND `+where+scope+` ORDER BY `+order+` LIMIT ?`, args...)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if len(recent) == limit {
			return recent, nil
		}
	}
	return db.searchIDs(ctx, from, where, order, arg, scope, scopeArgs, limit)
}

// searchIDs returns case IDs matching one candidate source within scope.
func (db *DB) searchIDs(ctx context.Context, from, where, order string, arg any, scope string, scopeArgs []any, limit int) ([]int64, error) {
	args := append(append([]any{arg}, scopeArgs...), limit)
	ids, err := queryIDs(ctx, db.reads(), `SELECT c.id FROM `+from+` WHERE `+where+scope+` ORDER BY `+order+` LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return ids, nil
}

// loadRows reads cases by ID, masked, in no particular order.
func (db *DB) loadRows(ctx context.Context, ids []int64) ([]*caseRow, error) {
	byID, err := db.casesByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	now := db.now()
	out := make([]*caseRow, 0, len(byID))
	for _, id := range ids {
		c := byID[id]
		if c == nil {
			continue
		}
		if err := db.mask(c); err != nil {
			return nil, err
		}
		c.MarkOverdue(now)
		out = append(out, c)
	}
	return out, nil
}

// findingsText joins a case's findings for the fragment; "" on any error,
// as a fragment is a nicety.
func (db *DB) findingsText(ctx context.Context, id int64) string {
	rows, err := db.reads().QueryContext(ctx, `SELECT text FROM case_entries WHERE case_id = ? AND kind = 'finding' ORDER BY id`, id)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var text string
		if rows.Scan(&text) == nil {
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, " ")
}
