package org.wardfleet.platform.mongo;

import com.mongodb.MongoClientException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * Which failures mean "storage cannot take this now, try again" — answered {@code 503 storage-unavailable} with
 * {@code Retry-After}, never a 500: the embedded store refusing writes it cannot keep (a full disk, a file that
 * cannot be written), or a MongoDB that cannot be reached or has no primary.
 */
public final class StorageErrors {

    /** The error code the embedded server answers with (MongoDB's OperationFailed), its message prefixed below. */
    static final int CODE = 96;
    static final String PREFIX = "storage-unavailable: ";

    private StorageErrors() {
    }

    static MongoServerError refusal(String reason) {
        return new MongoServerError(CODE, "OperationFailed", PREFIX + reason);
    }

    /** True when {@code error} (or a cause) says storage is unavailable rather than that the request was wrong. */
    public static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoServerException server && server.getCode() == CODE && t.getMessage() != null
                    && t.getMessage().contains(PREFIX)) {
                return true;
            }
            if (t instanceof MongoTimeoutException || t instanceof MongoSocketException
                    || t instanceof MongoNotPrimaryException || t instanceof MongoNodeIsRecoveringException) {
                return true;
            }
            if (t instanceof MongoClientException && t.getMessage() != null
                    && t.getMessage().contains("state should be: open")) {
                return true; // the client is closing with the server
            }
        }
        return false;
    }
}
