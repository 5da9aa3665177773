package web

import (
	"net/url"

	"redress"
)

// sortHead is a sortable column's heading on the workbench's list: the
// link that sorts by it (the other way round when the list is already
// sorted by it) and, on the column the list is sorted by, its aria-sort.
type sortHead struct {
	URL  string
	Aria string // "ascending", "descending" or ""
}

// firstWay is the direction a column sorts in when first clicked: the most
// pressing first (the earliest deadline, the newest receipt, the highest
// level, the most urgent).
func firstWay(key redress.SortKey) redress.CaseSort {
	return redress.CaseSort{Key: key, Desc: key != redress.SortDue}
}

// sortHeads are the headings of every sortable column for a list shown in
// order current. A new order starts again from the first page, so the
// links drop the cursor and the pages behind it.
func sortHeads(q url.Values, current redress.CaseSort) map[string]sortHead {
	heads := map[string]sortHead{}
	for _, key := range redress.SortKeys {
		next, aria := firstWay(key), ""
		if current.Key == key {
			next, aria = current.Reversed(), "ascending"
			if current.Desc {
				aria = "descending"
			}
		}
		link := cloneValues(q)
		link.Del("cursor")
		link.Del("back")
		link.Set("sort", next.String())
		heads[string(key)] = sortHead{URL: "?" + link.Encode(), Aria: aria}
	}
	return heads
}

// sortOptions are the orders the workbench's form offers, each column both
// ways (the canonical values, not the older aliases).
func sortOptions() []string {
	var out []string
	for _, k := range redress.SortKeys {
		first := firstWay(k)
		out = append(out, first.String(), first.Reversed().String())
	}
	return out
}
