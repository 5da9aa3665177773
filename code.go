package redress

import (
	"context"
	"regexp"
	"strings"
)

// DimensionOf returns the dimension a code belongs to: its first letter
// (A01 is a channel code, B06 a business category, C08 a cause), "" for an
// empty code. SaveCode checks that the letter names a dimension.
func DimensionOf(code string) Dimension {
	if code == "" {
		return ""
	}
	return Dimension(strings.ToUpper(code[:1]))
}

// Dimension is one of the three JR/T 0169-2018 classification dimensions.
type Dimension string

// The dimensions.
const (
	DimensionChannel  Dimension = "A" // 投诉渠道
	DimensionBusiness Dimension = "B" // 业务类别
	DimensionCause    Dimension = "C" // 投诉原因
	// DimensionRootCause is the bank's own list of root causes a
	// determination names (影响因素: 业务流程, 系统缺陷, 员工能力 …), kept
	// as a code list beside the three JR/T ones; a case carries it in its
	// determination, not in its classification.
	DimensionRootCause Dimension = "R"
)

// Dimensions lists the three JR/T 0169 dimensions a case is classified by,
// in the order of its code_a, code_b and code_c.
var Dimensions = []Dimension{DimensionChannel, DimensionBusiness, DimensionCause}

// CodeLists lists every code list: the JR/T dimensions and the root causes.
var CodeLists = []Dimension{DimensionChannel, DimensionBusiness, DimensionCause, DimensionRootCause}

// Valid reports whether d names a code list.
func (d Dimension) Valid() bool { return oneOf(d, CodeLists) }

// Code is one entry of a JR/T 0169 code list. The lists are data, seeded by a
// migration and edited by an admin, because the official digits could not be
// verified (DOMAIN.md §5).
type Code struct {
	Dimension Dimension `json:"dimension"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`    // Chinese
	NameEN    string    `json:"name_en"` // English
	Parent    string    `json:"parent,omitempty"`
	Active    bool      `json:"active"`
}

var codePattern = regexp.MustCompile(`^[A-CR][0-9]{2,8}$`)

// Validate checks the fields that need no database.
func (c Code) Validate() error {
	var p Problems
	if !c.Dimension.Valid() {
		p.AddKey("dimension", ProblemChoice, "A, B, C, R")
	}
	if !codePattern.MatchString(c.Code) || (c.Dimension.Valid() && c.Code[:1] != string(c.Dimension)) {
		p.AddKey("code", ProblemCodePattern)
	}
	checkText(&p, "name", c.Name, 1, 100)
	checkText(&p, "name_en", c.NameEN, 1, 100)
	switch {
	case c.Parent != "" && c.Dimension == DimensionRootCause:
		p.AddKey("parent", ProblemFlatList)
	case c.Parent != "" && (len(c.Parent) >= len(c.Code) || c.Code[:len(c.Parent)] != c.Parent):
		p.AddKey("parent", ProblemCodeParent)
	}
	return p.Err()
}

// channelCodes is the JR/T 0169 A (channel) code of each channel, from the
// seeded code list: premises for what arrives in person or on paper, the
// self-service machines, and the electronic channels by kind. A channel
// missing here is classified as other (A99).
var channelCodes = map[Channel]string{
	ChannelCounter:       "A01",   // 营业现场
	ChannelVisit:         "A01",   // 营业现场
	ChannelOpinionBook:   "A01",   // 营业现场
	ChannelLetter:        "A01",   // 营业现场
	ChannelSelfService:   "A02",   // 自助机具
	ChannelOnlineBanking: "A0301", // 网上银行
	ChannelPhone:         "A0302", // 电话银行
	ChannelHotline:       "A0302", // 电话银行
	ChannelMobileApp:     "A0303", // 移动客户端
	ChannelWeChat:        "A0304", // 网络公众平台
	ChannelOnlinePost:    "A0304", // 网络公众平台
}

// ChannelCode returns the JR/T 0169 A-dimension code under which a case
// received by channel c is classified: A01 营业现场 for the counter, visits,
// the opinion book and letters; A02 for self-service machines; A0301-A0304
// for online banking, telephone (the outlet's phone and the hotline), the
// mobile app, and WeChat and online posts; A99 其他 for the rest (e-mail, a
// regulator's referral).
func ChannelCode(c Channel) string {
	if code, ok := channelCodes[c]; ok {
		return code
	}
	return "A99"
}

// CodeService reads and edits the code lists.
type CodeService interface {
	// ListCodes returns the codes of one dimension, or of all when d is "".
	// Errors: EUNAUTHORIZED, EINVALID.
	ListCodes(ctx context.Context, d Dimension) ([]*Code, error)
	// SaveCode adds a code or updates its names, parent and active flag. Admin only.
	// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID.
	SaveCode(ctx context.Context, c Code) (*Code, error)
}
