package scenario

import (
	"fmt"
	"strings"
	"time"
)

// ResidentID draws an 18-character resident ID number (GB 11643): an area
// code of areas, a birth date from 1950 to 2004, a sequence number, and
// the check character.
func (r *Rand) ResidentID(areas []string) string {
	first := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	birth := first.AddDate(0, 0, r.IntN(55*365+13))
	body := Pick(r, areas) + birth.Format("20060102") + fmt.Sprintf("%03d", 1+r.IntN(999))
	return body + string(residentIDCheck(body))
}

// residentIDCheck is the check character of the 17 digits of a resident ID
// number: ISO 7064 MOD 11-2, as GB 11643 specifies it.
func residentIDCheck(body string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// CardNumber draws a UnionPay debit card (19 digits) or credit card (16
// digits) number with its Luhn check digit.
func (r *Rand) CardNumber() string {
	payload := "622202" + fmt.Sprintf("%012d", r.Int64N(1e12))
	if r.Chance(0.3) {
		payload = "625906" + fmt.Sprintf("%09d", r.Int64N(1e9))
	}
	return payload + string(luhnCheck(payload))
}

// luhnCheck is the Luhn (ISO/IEC 7812) check digit of a card number's
// other digits.
func luhnCheck(payload string) byte {
	sum := 0
	for i := range len(payload) {
		d := int(payload[len(payload)-1-i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// CreditCode draws a company's unified social credit code (GB 32100): "91"
// (registered by industry and commerce, a company), an area code of areas,
// a nine-character organisation code (GB 11714) and the check character.
func (r *Rand) CreditCode(areas []string) string {
	org := fmt.Sprintf("%08d", r.IntN(1e8))
	org += string(orgCodeCheck(org))
	body := "91" + Pick(r, areas) + org
	return body + string(creditCodeCheck(body))
}

// orgCodeCheck is the check character of the eight digits of an
// organisation code (GB 11714): MOD 11, "X" for 10.
func orgCodeCheck(code string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(code[i]-'0') * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// creditCodeChars are the characters of a unified social credit code, by
// value (no I, O, S, V or Z).
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeCheck is the check character of the 17 characters of a unified
// social credit code: MOD 31, as GB 32100 specifies it.
func creditCodeCheck(body string) byte {
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, w := range weights {
		sum += strings.IndexByte(creditCodeChars, body[i]) * w
	}
	return creditCodeChars[(31-sum%31)%31]
}
