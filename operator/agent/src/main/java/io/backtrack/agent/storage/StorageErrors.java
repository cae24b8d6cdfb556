package io.backtrack.agent.storage;

import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.result.Reason;
import io.minio.errors.ErrorResponseException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

/** Turns MinIO client exceptions into agent reasons with messages that name the endpoint and bucket. */
public final class StorageErrors {
    private static final Set<String> AUTH_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "AccessDenied", "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed");

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
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException) {
                return new AgentFailure(Reason.StorageUnreachable, "cannot connect to S3 endpoint "
                        + location.endpoint() + ": " + t.getMessage()
                        + "; check storage.s3.endpoint and that the object store is running", error);
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
}
