package io.backtrack.controller.schedule;

/** Why a schedule cannot run: reason InvalidSchedule, UnknownTimeZone or InvalidSpec, and a message for people. */
public record ScheduleProblem(String reason, String message) {
    public static final String INVALID_SCHEDULE = "InvalidSchedule";
    public static final String UNKNOWN_TIME_ZONE = "UnknownTimeZone";
    public static final String INVALID_SPEC = "InvalidSpec";
}
