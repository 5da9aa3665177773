package web

import (
	"fmt"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"redress"
)

// A petition (信访, kind petition) is never worded as a complaint (投诉): its
// pages, receipt and prints speak of 信访人, 信访事项, 受理告知书, 处理意见书
// and 信访编号. A message that a complaint and a petition word differently
// has a variant under the same ID with ".petition" appended; templates ask
// for it with the case's kind:
//
//	{{.T.Kind $c.Kind "field.complainant"}}       信访人 for a petition, else 投诉人
//	{{.T.KindLabel $c.Kind "role" .Role}}         role.manager.petition, else role.manager
//
// A message without a variant reads the same for every kind.

// petitionSuffix is the suffix of a message's petition variant.
const petitionSuffix = ".petition"

// Kind returns the message id worded for a case of the given kind (a
// redress.Kind or its string): the ".petition" variant for a petition when
// the catalogue has one, else the message itself.
func (t *T) Kind(kind any, id string, kv ...any) string {
	return t.Get(t.kindID(kind, id), kv...)
}

// KindLabel is Label worded for a case of the given kind.
func (t *T) KindLabel(kind any, vocabulary string, value any) string {
	v := fmt.Sprint(value)
	if v == "" {
		return ""
	}
	return t.Kind(kind, vocabulary+"."+v)
}

// kindID is the ID of the message id as worded for the kind.
func (t *T) kindID(kind any, id string) string {
	if fmt.Sprint(kind) != string(redress.KindPetition) {
		return id
	}
	variant := id + petitionSuffix
	if _, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: variant}); err != nil {
		return id
	}
	return variant
}
