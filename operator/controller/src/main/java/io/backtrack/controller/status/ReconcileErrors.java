package io.backtrack.controller.status;

import io.backtrack.api.ConditionReason;
import io.backtrack.controller.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * What a reconcile that threw leaves on its resource (JOSDK's error-status hook, {@code updateErrorStatus}): a
 * request the API server refused, or an answer that could not be read, becomes the conditions Ready False and
 * Reconciling True (reason ReconcileError) while JOSDK retries, Stalled True on its last attempt, plus a Warning
 * Event, instead of a stack trace in the operator's log only.
 */
public final class ReconcileErrors {
    private static final Logger LOG = Logger.getLogger(ReconcileErrors.class);
    private static final String REASON = ConditionReason.ReconcileError.name();
    private static final int MAX_MESSAGE = 900;

    private ReconcileErrors() {
    }

    /**
     * Records the error on the resource's status through its draft.
     *
     * @param setStatus puts the built status on the resource
     */
    public static <R extends HasMetadata, S> ErrorStatusUpdateControl<R> record(R resource, StatusDraft<S> draft,
                                                                                Consumer<S> setStatus, Context<R> context,
                                                                                Exception error, EventRecorder events,
                                                                                Instant now) {
        boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
        String message = describe(error);
        LOG.warnf("reconcile failed kind=%s namespace=%s name=%s lastAttempt=%s: %s", resource.getKind(),
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), lastAttempt, message);
        if (!REASON.equals(draft.readyReason()) || lastAttempt) {
            events.warning(resource, REASON, message);
        }
        draft.reconcileError(message, lastAttempt, now);
        setStatus.accept(draft.build());
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    /** A finished resource keeps its outcome: the error goes to an Event and the log only. */
    public static <R extends HasMetadata> ErrorStatusUpdateControl<R> eventOnly(R resource, Exception error,
                                                                                EventRecorder events) {
        String message = describe(error);
        LOG.warnf("reconcile of a finished resource failed kind=%s namespace=%s name=%s: %s", resource.getKind(),
                resource.getMetadata().getNamespace(), resource.getMetadata().getName(), message);
        events.warning(resource, REASON, message);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /**
     * What failed, for the person reading {@code kubectl describe}: the API server's own message for a refused request
     * (with its HTTP code), otherwise the exception's type and message; never a stack trace.
     */
    public static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
                return cut("the API server refused a request (HTTP " + k.getCode() + "): " + k.getStatus().getMessage());
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        return cut(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()));
    }

    private static String cut(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
