package scenario

import "redress"

// Mix counts cases by kind, channel and status, to show that a made-up bank
// has cases of every one of each, as the demo and the benchmark promise.
type Mix struct {
	Kinds    map[redress.Kind]int
	Channels map[redress.Channel]int
	Statuses map[redress.Status]int
}

// NewMix returns an empty Mix.
func NewMix() *Mix {
	return &Mix{Kinds: map[redress.Kind]int{}, Channels: map[redress.Channel]int{}, Statuses: map[redress.Status]int{}}
}

// Add counts one case.
func (m *Mix) Add(k redress.Kind, ch redress.Channel, s redress.Status) {
	m.Kinds[k]++
	m.Channels[ch]++
	m.Statuses[s]++
}

// Missing names the kinds, channels and statuses that no case had, as
// "kind petition", "channel email" or "status rejected"; none when the mix
// is complete.
func (m *Mix) Missing() []string {
	var missing []string
	for _, k := range redress.Kinds {
		if m.Kinds[k] == 0 {
			missing = append(missing, "kind "+string(k))
		}
	}
	for _, ch := range redress.Channels {
		if m.Channels[ch] == 0 {
			missing = append(missing, "channel "+string(ch))
		}
	}
	for _, s := range redress.Statuses {
		if m.Statuses[s] == 0 {
			missing = append(missing, "status "+string(s))
		}
	}
	return missing
}
