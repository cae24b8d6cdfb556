package io.backtrack.agent.storage;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.contract.result.Reason;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns MinIO client exceptions into agent reasons with messages that name the endpoint and bucket. */
public final class StorageErrors {
    private static final Set<String> AUTH_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "AccessDenied", "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed");
    /** Error codes a retry can cure (the store is busy, restarting, or lost a request). */
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout", "OperationAborted", "ConditionalRequestConflict", "XMinioServerNotInitialized");
    private static final Pattern RESPONSE_CODE = Pattern.compile("Response code: (\\d+)");

    private StorageErrors() {
    }

    public static AgentFailure classify(Throwable error, S3Location location, String doing) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof AgentFailure failure) {
                return failure;
            }
            if (t instanceof ErrorResponseException e) {
                return fromErrorResponse(e, location, doing);
            }
            if (t instanceof UnknownHostException) {
                return new AgentFailure(Reason.StorageUnreachable, "cannot reach S3 endpoint " + location.endpoint()
                        + ": unknown host " + t.getMessage() + "; check storage.s3.endpoint", error);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new AgentFailure(Reason.StorageUnreachable, "cannot connect to S3 endpoint "
                        + location.endpoint() + ": " + t.getMessage()
                        + "; check storage.s3.endpoint and that the object store is running", error);
            }
            if (t instanceof SocketTimeoutException) {
                return new AgentFailure(Reason.StorageUnreachable, "S3 endpoint " + location.endpoint()
                        + " did not answer in time while " + doing + " (" + t.getMessage()
                        + "); check that the object store is running and reachable", error);
            }
        }
        String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new AgentFailure(Reason.StorageUnreachable, "S3 request to " + location.endpoint() + " failed while "
                + doing + ": " + detail, error);
    }

    private static AgentFailure fromErrorResponse(ErrorResponseException e, S3Location location, String doing) {
        String code = e.errorResponse().code();
        if ("NoSuchBucket".equals(code)) {
            return bucketNotFound(location);
        }
        if (AUTH_CODES.contains(code)) {
            return new AgentFailure(Reason.StorageAuthFailed, "S3 endpoint " + location.endpoint()
                    + " refused the credentials for bucket " + location.bucket() + " (" + code
                    + "); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the storage credentials Secret", e);
        }
        return new AgentFailure(Reason.StorageUnreachable, "S3 endpoint " + location.endpoint() + " answered " + code
                + " while " + doing + ": " + e.errorResponse().message(), e);
    }

    /**
     * True when a retry can cure the failure: no answer in time, a connection reset, a 5xx or 429 answer. A
     * refused connection or an unknown host is a wrong endpoint until the store has answered once ({@code reached}),
     * and a restarting store after that.
     */
    static boolean isTransient(Throwable error, boolean reached) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AgentFailure) {
                return false;
            }
            if (t instanceof ErrorResponseException e) {
                int status = e.response() == null ? 0 : e.response().code();
                return TRANSIENT_CODES.contains(e.errorResponse().code()) || transientStatus(status);
            }
            if (t instanceof ServerException e) {
                return transientStatus(e.statusCode());
            }
            if (t instanceof InvalidResponseException e) {
                return transientStatus(responseCode(e));
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException) {
                return reached;
            }
            if (t instanceof SocketTimeoutException || t instanceof SocketException || t instanceof EOFException) {
                return true;
            }
            if (t instanceof InterruptedIOException) {
                return "timeout".equals(t.getMessage()); // OkHttp's; anything else is this thread being stopped
            }
            if (t instanceof IOException && t.getMessage() != null
                    && t.getMessage().startsWith("unexpected end of stream")) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientStatus(int status) {
        return status >= 500 || status == 429;
    }

    private static int responseCode(InvalidResponseException e) {
        Matcher m = RESPONSE_CODE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** One line on what a request ran into, for logs and messages (never headers or credentials). */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                return "answered " + e.errorResponse().code()
                        + (e.response() == null ? "" : " (HTTP " + e.response().code() + ")");
            }
            if (t instanceof ServerException e) {
                return "answered HTTP " + e.statusCode();
            }
            if (t instanceof InvalidResponseException e) {
                return "answered HTTP " + responseCode(e) + " without an S3 error body";
            }
            if (t instanceof SocketTimeoutException || (t instanceof InterruptedIOException
                    && "timeout".equals(t.getMessage()))) {
                return "timed out (" + t.getMessage() + ")";
            }
            if (t instanceof IOException) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return String.valueOf(error);
    }

    /** The failure after retrying a request that kept failing in a way a retry might have cured. */
    static AgentFailure gaveUp(S3Location location, String doing, Throwable last, int attempts, double seconds,
                               StorageTimeouts timeouts) {
        String what = describe(last);
        if (what.startsWith("timed out")) {
            what = "no progress within " + seconds(timeouts.attempt()) + " per request, " + what;
        }
        String tried = attempts + (attempts == 1 ? " attempt" : " attempts")
                + String.format(Locale.ROOT, " over %.1f s", seconds);
        return new AgentFailure(Reason.StorageUnreachable, "S3 endpoint " + location.endpoint() + " (bucket "
                + location.bucket() + ") did not answer in time while " + doing + ": " + what + "; gave up after "
                + tried + " (--storage-timeout " + timeouts + "). Check that the object store is running and "
                + "reachable from the agent, or raise --storage-timeout", last);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    public static AgentFailure bucketNotFound(S3Location location) {
        return new AgentFailure(Reason.BucketNotFound, "bucket " + location.bucket() + " does not exist at "
                + location.endpoint() + "; create it or fix storage.s3.bucket");
    }

    /** True when the multipart upload is gone: someone aborted it (another run, a lifecycle rule). */
    public static boolean isNoSuchUpload(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                return "NoSuchUpload".equals(e.errorResponse().code());
            }
        }
        return false;
    }

    /** True when a conditional request's precondition did not hold (412: e.g. the object already exists). */
    public static boolean isPreconditionFailed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                return "PreconditionFailed".equals(e.errorResponse().code())
                        || (e.response() != null && e.response().code() == 412);
            }
        }
        return false;
    }

    /** True for a 404 on an object (the object is simply not there). */
    public static boolean isNoSuchKey(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException e) {
                String code = e.errorResponse().code();
                return "NoSuchKey".equals(code) || "NoSuchObject".equals(code)
                        || (e.response() != null && e.response().code() == 404 && !"NoSuchBucket".equals(code));
            }
        }
        return false;
    }

    /** The store's failure behind a read error, however the streams in between wrapped it; null if none. */
    public static AgentFailure failureBehind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AgentFailure failure) {
                return failure;
            }
        }
        return null;
    }
}
