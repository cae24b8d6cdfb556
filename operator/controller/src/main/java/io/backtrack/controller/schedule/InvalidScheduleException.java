package io.backtrack.controller.schedule;

/** A schedule expression that cannot be used; the message is written for the person reading the condition. */
public final class InvalidScheduleException extends Exception {
    public InvalidScheduleException(String message) {
        super(message);
    }
}
