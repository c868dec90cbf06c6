package simulator

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Firewall schedules: the time range checks of Models/FirewallScheduleTimeRange.inc and the
// computed `active` field of Models/FirewallSchedule.inc (from_internal_active, which asks
// pfSense's filter_get_time_based_rule_status in src/etc/inc/filter.inc).

// scheduleMinutes are FirewallScheduleTimeRange::SUPPORTED_MINUTES.
var scheduleMinutes = []string{"00", "15", "30", "45", "59"}

// schedule24h is the pattern of FirewallScheduleTimeRange::is_valid_24_hour_time, after it
// pads H:MM to HH:MM.
var schedule24h = regexp.MustCompile(`^(?:2[0-3]|[01][0-9]):[0-5][0-9]$`)

func scheduleValidTime(t string) bool {
	if len(t) > 1 && t[1] == ':' {
		t = "0" + t
	}
	return schedule24h.MatchString(t)
}

// scheduleClock is strtotime of a valid HH:MM as minutes since midnight (both ends of a range
// fall on the same day, so comparing minutes is comparing strtotime's answers).
func scheduleClock(t string) int {
	h, m, _ := strings.Cut(t, ":")
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	return hh*60 + mm
}

// scheduleHour is FirewallScheduleTimeRange::validate_hour: both ends 24-hour times, minutes
// from SUPPORTED_MINUTES, the start not after the end.
func scheduleHour(vc *vctx, v any) (any, *apiError) {
	s := strval(v)
	parts := strings.Split(s, "-")
	start, end := parts[0], ""
	if len(parts) > 1 {
		end = parts[1]
	}
	if !scheduleValidTime(start) || !scheduleValidTime(end) {
		return nil, errf(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_MUST_BE_24_HOUR_TIME_RANGE", "Field `hour` must be 24-hour time range (i.e. 0:00-23:59).")
	}
	if !slices.Contains(scheduleMinutes, start[len(start)-2:]) || !slices.Contains(scheduleMinutes, end[len(end)-2:]) {
		return nil, errf(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_WITH_INVALID_MINUTES",
			"Field `hour` can only specify one of minute value choices: [%s].", strings.Join(scheduleMinutes, ","))
	}
	if scheduleClock(start) > scheduleClock(end) {
		return nil, errf(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_START_TIME_GREATER_THAN_END_TIME", "Field `hour` value start time portion greater than end time.")
	}
	return v, nil
}

// scheduleMonthDays are FirewallScheduleTimeRange::is_day_in_month's month lengths (February
// has 29: a leap day is always accepted).
var scheduleMonthDays = map[int64]int64{1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}

// scheduleMonthDay is FirewallScheduleTimeRange::validate_extra: when both month and day are
// given, they pair up one to one and each day exists in its month.
func scheduleMonthDay(vc *vctx) *apiError {
	months, days := listOf(vc.obj["month"]), listOf(vc.obj["day"])
	if len(months) == 0 || len(days) == 0 {
		return nil
	}
	if len(months) != len(days) {
		return errf(400, "FIREWALL_SCHEDULE_TIME_RANGE_MISMATCHED_MONTH_AND_DAY_VALUES", "Field `day` and field `month` must have the same number of array items.")
	}
	for i, mo := range months {
		m, d := toInt(mo), toInt(days[i])
		if d < 1 || d > scheduleMonthDays[m] {
			return errf(400, "FIREWALL_SCHEDULE_TIME_RANGE_DAY_VALUE_IS_NOT_IN_MONTH", "Field `day` value is not a valid day in the `month` of `%d`.", m)
		}
	}
	return nil
}

// scheduleActive is filter_get_time_based_rule_status (filter.inc): a schedule is active when
// any of its time ranges matches now, in the firewall's time zone. A range matches when each
// of its month, day, weekday (position: 1 Monday ... 7 Sunday) and hour parts that is set
// matches on its own (filter_tdr_month, _day, _position, _hour: the month and day lists are
// not read as pairs there), the hour range including its start and excluding its end.
func scheduleActive(schedule map[string]any, now time.Time) bool {
	for _, tr := range listOf(schedule["timerange"]) {
		r, _ := tr.(map[string]any)
		if r == nil {
			continue
		}
		weekday := int64(now.Weekday())
		if weekday == 0 {
			weekday = 7
		}
		if scheduleAny(r["month"], int64(now.Month())) && scheduleAny(r["day"], int64(now.Day())) &&
			scheduleAny(r["position"], weekday) && scheduleHourNow(strval(r["hour"]), now) {
			return true
		}
	}
	return false
}

// scheduleAny: an empty part matches; otherwise one of its numbers is want.
func scheduleAny(v any, want int64) bool {
	items := listOf(v)
	if len(items) == 0 {
		return true
	}
	for _, it := range items {
		if toInt(it) == want {
			return true
		}
	}
	return false
}

// scheduleHourNow is filter_tdr_hour: start <= now < end, to the minute.
func scheduleHourNow(hour string, now time.Time) bool {
	if hour == "" {
		return true
	}
	start, end, _ := strings.Cut(hour, "-")
	cur := now.Hour()*60 + now.Minute()
	return cur >= scheduleClock(start) && cur < scheduleClock(end)
}

// firewallLocation is the firewall's configured time zone (System > General Setup), UTC when
// unknown to this machine.
func (sim *Simulator) firewallLocation() *time.Location {
	name := strval(sim.st.Singles["SystemTimezone"]["timezone"])
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// withScheduleActive is the read of a stored FirewallSchedule: `active` computed now
// (FirewallSchedule::from_internal_active), on a copy.
func withScheduleActive(sim *Simulator, obj map[string]any) map[string]any {
	return withValue(obj, "active", scheduleActive(obj, sim.opts.Now().In(sim.firewallLocation())))
}

// withValue is a shallow copy of obj with key set to v (a computed field on a stored object).
func withValue(obj map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(obj)+1)
	for k, x := range obj {
		out[k] = x
	}
	out[key] = v
	return out
}
