package redress

import (
	"testing"
)

// TestTrainingPlanValidates_Seed004Sec6_培训与考核: a session names the unit,
// what it teaches (the seeds' topics), the day, its length in half hours,
// the trainer, the form, a pass mark 0–100 and a roster; every problem is
// reported at once, and repeats are dropped.
func TestTrainingPlanValidates_Seed004Sec6_培训与考核(t *testing.T) {
	t.Parallel()
	mark := 120
	for _, tc := range []struct {
		name   string
		n      NewTrainingSession
		fields []string
	}{
		{"empty", NewTrainingSession{}, []string{"org", "title", "trainer", "topics", "held_on", "hours", "form", "attendees"}},
		{"bad values", NewTrainingSession{Org: "BJ", Title: "投诉处理", Topics: []TrainingTopic{"cooking"}, HeldOn: "2026-02-30", Hours: 1.25,
			Trainer: "李老师", Form: "radio", PassMark: &mark, Attendees: []string{"a"}}, []string{"topics", "held_on", "hours", "form", "pass_mark"}},
		{"too long", NewTrainingSession{Org: "BJ", Title: "投诉处理", Topics: []TrainingTopic{TopicDisputes}, HeldOn: "2026-11-20", Hours: 24.5,
			Trainer: "李老师", Form: TrainingOnline, Attendees: []string{"a"}}, []string{"hours"}},
	} {
		err := tc.n.Validate()
		fields := ErrorFields(err)
		if len(fields) != len(tc.fields) {
			t.Errorf("%s: %v, want %v", tc.name, fields, tc.fields)
		}
		for _, f := range tc.fields {
			if fields[f] == "" {
				t.Errorf("%s: no problem with %s: %v", tc.name, f, fields)
			}
		}
	}
	good := NewTrainingSession{Org: " BJ ", Title: " 客户投诉处理规范 ", Topics: []TrainingTopic{TopicComplaintRules, TopicCommunication, TopicComplaintRules},
		HeldOn: "2026-11-20", Hours: 1.5, Trainer: "李老师", Form: TrainingInPerson, Attendees: []string{"a", " b", "a", ""}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if good.Org != "BJ" || good.Title != "客户投诉处理规范" || len(good.Topics) != 2 || len(good.Attendees) != 2 || *good.PassMark != TrainingPassMark {
		t.Fatalf("tidied: %+v", good)
	}
}

// TestTrainingAttendanceRule_Seed004Sec6_培训与考核: attendance is recorded
// once the session has been held, every person on the roster exactly once
// and nobody else; an absentee has no score, and a pass is a score at least
// the pass mark.
func TestTrainingAttendanceRule_Seed004Sec6_培训与考核(t *testing.T) {
	t.Parallel()
	s := &TrainingSession{Ref: "PX-000001", HeldOn: "2026-11-20", Hours: 2, PassMark: 60,
		Attendees: []TrainingSeat{{Login: "a"}, {Login: "b"}}}
	day := func(d string) Date { x, _ := ParseDate(d); return x }
	score := func(n int) *int { return &n }
	if _, err := TrainingAttendanceRule(s, TrainingAttendance{Attendees: []AttendanceRecord{{Login: "a"}, {Login: "b"}}}, day("2026-11-19")); ErrorCode(err) != ECONFLICT {
		t.Fatalf("before the day: %v", err)
	}
	for name, a := range map[string]TrainingAttendance{
		"missing":  {Attendees: []AttendanceRecord{{Login: "a", Attended: true}}},
		"stranger": {Attendees: []AttendanceRecord{{Login: "a"}, {Login: "b"}, {Login: "c"}}},
		"twice":    {Attendees: []AttendanceRecord{{Login: "a"}, {Login: "a"}, {Login: "b"}}},
		"score":    {Attendees: []AttendanceRecord{{Login: "a", Attended: true, Score: score(101)}, {Login: "b"}}},
	} {
		if _, err := TrainingAttendanceRule(s, a, day("2026-11-20")); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, err := TrainingAttendanceRule(s, TrainingAttendance{Attendees: []AttendanceRecord{{Login: "a", Attended: true, Score: score(60)},
		{Login: "b", Score: score(90)}}}, day("2026-11-21"))
	if err != nil || got["b"].Score != nil || !got["a"].Attended {
		t.Fatalf("recorded: %+v %v", got, err)
	}
	var f TrainingFigures
	f.AddSeat(s, TrainingSeat{Login: "a", Attended: true, Score: score(60)})
	f.AddSeat(s, TrainingSeat{Login: "a", Attended: true, Score: score(59)})
	f.AddSeat(s, TrainingSeat{Login: "a", Attended: true})
	f.AddSeat(s, TrainingSeat{Login: "a"})
	if f != (TrainingFigures{Sessions: 3, Hours: 6, Absent: 1, Passed: 1, Failed: 1}) {
		t.Fatalf("figures: %+v", f)
	}
	if !s.Passed(TrainingSeat{Attended: true, Score: score(60)}) || s.Passed(TrainingSeat{Attended: false, Score: score(99)}) {
		t.Fatal("the pass mark")
	}
}
