package io.backtrack.controller.schedule;

import io.backtrack.api.ConditionReason;

/** Why a schedule cannot run: reason InvalidSchedule, UnknownTimeZone or InvalidSpec, and a message for people. */
public record ScheduleProblem(ConditionReason reason, String message) {
}
