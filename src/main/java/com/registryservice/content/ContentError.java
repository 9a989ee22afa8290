package com.registryservice.content;

/**
 * A client's mistake on the data plane, with the OCI distribution-spec error code and the HTTP status it is answered
 * with. The OCI routes render it as {@code {"errors":[{"code","message","detail"}]}}; nothing else does.
 */
public class ContentError extends RuntimeException {

    /** The error codes of the OCI distribution spec. */
    public enum Code {
        BLOB_UNKNOWN, BLOB_UPLOAD_INVALID, BLOB_UPLOAD_UNKNOWN, DIGEST_INVALID, MANIFEST_BLOB_UNKNOWN,
        MANIFEST_INVALID, MANIFEST_UNKNOWN, NAME_INVALID, NAME_UNKNOWN, SIZE_INVALID, UNAUTHORIZED, DENIED,
        UNSUPPORTED, TOOMANYREQUESTS
    }

    private final int status;
    private final Code code;
    private final Object detail;

    public ContentError(int status, Code code, String message, Object detail) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    public ContentError(int status, Code code, String message) {
        this(status, code, message, null);
    }

    public int status() {
        return status;
    }

    public Code code() {
        return code;
    }

    public Object detail() {
        return detail;
    }

    public static ContentError digestInvalid(String message) {
        return new ContentError(400, Code.DIGEST_INVALID, message);
    }

    public static ContentError nameInvalid(String message) {
        return new ContentError(400, Code.NAME_INVALID, message);
    }

    public static ContentError manifestInvalid(String message) {
        return new ContentError(400, Code.MANIFEST_INVALID, message);
    }
}
