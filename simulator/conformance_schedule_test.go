package simulator_test

import (
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// scheduleCases follow Models/FirewallScheduleTimeRange.inc (validate_hour, validate_extra)
// and Models/FirewallSchedule.inc from_internal_active, which asks pfSense's
// filter_get_time_based_rule_status (src/etc/inc/filter.inc, RELENG_2_7_2).
func scheduleCases() []ccase {
	tr := "Models/FirewallScheduleTimeRange.inc "
	tt := "Tests/APIModelsFirewallScheduleTimeRangeTestCase.inc "
	// Monday 2 March 2026, 10:20 in the firewall's time zone (the seed's is Etc/UTC).
	at := simulator.Options{Now: func() time.Time { return time.Date(2026, 3, 2, 10, 20, 0, 0, time.UTC) }}
	sched := func(ranges string) string { return `{"name":"bt_sched","timerange":[` + ranges + `]}` }
	return []ccase{
		{area: "schedule", name: "month and day must pair up", src: tr + "validate_extra", test: tt + "test_month_and_day_must_have_same_number_of_items",
			steps: []step{post(scheduleURL, sched(`{"month":[1,2],"day":[1],"hour":"8:00-17:00"}`)).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_MISMATCHED_MONTH_AND_DAY_VALUES",
				"Field `timerange` encountered a nested validation error: Field `day` and field `month` must have the same number of array items.")}},
		{area: "schedule", name: "a day must exist in its month", src: tr + "validate_extra (is_day_in_month)", test: tt + "test_day_must_be_in_month",
			steps: []step{post(scheduleURL, sched(`{"month":[4],"day":[31],"hour":"8:00-17:00"}`)).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_DAY_VALUE_IS_NOT_IN_MONTH",
				"Field `timerange` encountered a nested validation error: Field `day` value is not a valid day in the `month` of `4`.")}},
		{area: "schedule", name: "29 February is always a day", src: tr + "is_day_in_month (February has 29)", test: tt + "test_is_day_in_month",
			steps: []step{post(scheduleURL, sched(`{"month":[2],"day":[29],"hour":"8:00-17:00"}`)).has(`"day":[29]`)}},
		{area: "schedule", name: "hour must be a 24-hour range", src: tr + "validate_hour (is_valid_24_hour_time)", test: tt + "test_hour_is_valid_24_hour_time_strings",
			steps: []step{post(scheduleURL, sched(`{"position":[1],"hour":"8:00-24:00"}`)).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_MUST_BE_24_HOUR_TIME_RANGE",
				"Field `timerange` encountered a nested validation error: Field `hour` must be 24-hour time range (i.e. 0:00-23:59).")}},
		{area: "schedule", name: "hour without an end is refused", src: tr + "validate_hour", test: tt + "test_hour_is_valid_24_hour_time_strings",
			steps: []step{post(scheduleURL, sched(`{"position":[1],"hour":"8:00"}`)).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_MUST_BE_24_HOUR_TIME_RANGE", "")}},
		{area: "schedule", name: "minutes must be 00, 15, 30, 45 or 59", src: tr + "validate_hour (SUPPORTED_MINUTES)", test: tt + "test_hour_uses_supported_minutes",
			steps: []step{post(scheduleURL, sched(`{"position":[1],"hour":"8:10-17:00"}`)).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_WITH_INVALID_MINUTES",
				"Field `timerange` encountered a nested validation error: Field `hour` can only specify one of minute value choices: [00,15,30,45,59].")}},
		{area: "schedule", name: "the start cannot be after the end", src: tr + "validate_hour (is_valid_24_hour_time_range)", test: tt + "test_hour_start_time_cannot_exceed_end_time",
			steps: []step{post(scheduleURL, sched(`{"position":[1],"hour":"17:00-8:00"}`)).is(400, "FIREWALL_SCHEDULE_TIME_RANGE_HOUR_START_TIME_GREATER_THAN_END_TIME",
				"Field `timerange` encountered a nested validation error: Field `hour` value start time portion greater than end time.")}},
		{area: "schedule", name: "a schedule covering now is active", src: "Models/FirewallSchedule.inc from_internal_active ; pfSense filter.inc filter_get_time_based_rule_status", test: "Tests/APIModelsFirewallScheduleTestCase.inc test_schedule_shows_active",
			opts:  at,
			steps: []step{post(scheduleURL, sched(`{"month":[3],"day":[2],"hour":"0:00-23:59"}`)).has(`"active":true`), get("/api/v2/firewall/schedules?name=bt_sched").has(`"active":true`)}},
		{area: "schedule", name: "another day is not active", src: "Models/FirewallSchedule.inc from_internal_active ; filter.inc filter_tdr_day", test: "Tests/APIModelsFirewallScheduleTestCase.inc test_schedule_shows_active",
			opts:  at,
			steps: []step{post(scheduleURL, sched(`{"month":[3],"day":[15],"hour":"0:00-23:59"}`)).has(`"active":false`)}},
		{area: "schedule", name: "weekdays: 1 is Monday; the hour range excludes its end", src: "filter.inc filter_tdr_position (Sunday 7), filter_tdr_hour (start <= now < end)",
			note: "no package test covers weekdays or the end of the range; the rule is pfSense's",
			opts: at,
			steps: []step{post(scheduleURL, sched(`{"position":[1,2],"hour":"10:00-10:15"},{"position":[1],"hour":"10:15-10:30"}`)).has(`"active":true`),
				patch(scheduleURL, `{"id":0,"timerange":[{"position":[1],"hour":"9:00-10:15"}]}`).has(`"active":false`),
				patch(scheduleURL, `{"id":0,"timerange":[{"position":[7],"hour":"0:00-23:59"}]}`).has(`"active":false`)}},
	}
}
