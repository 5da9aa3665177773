package redress

import "testing"

func TestChannelCode(t *testing.T) {
	want := map[Channel]string{
		ChannelCounter:            "A01",
		ChannelVisit:              "A01",
		ChannelOpinionBook:        "A01",
		ChannelLetter:             "A01",
		ChannelSelfService:        "A02",
		ChannelOnlineBanking:      "A0301",
		ChannelPhone:              "A0302",
		ChannelHotline:            "A0302",
		ChannelMobileApp:          "A0303",
		ChannelWeChat:             "A0304",
		ChannelOnlinePost:         "A0304",
		ChannelEmail:              "A99",
		ChannelRegulator:          "A99",
		Channel("carrier_pigeon"): "A99",
	}
	for _, c := range Channels {
		if _, ok := want[c]; !ok {
			t.Errorf("channel %s has no expected code in this test", c)
		}
	}
	for c, code := range want {
		if got := ChannelCode(c); got != code {
			t.Errorf("ChannelCode(%s) = %s, want %s", c, got, code)
		}
		if err := (Code{Dimension: DimensionChannel, Code: ChannelCode(c), Name: "x", NameEN: "x"}).Validate(); err != nil {
			t.Errorf("ChannelCode(%s) = %s is not a valid A code: %v", c, ChannelCode(c), err)
		}
	}
}
