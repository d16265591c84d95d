package org.wardfleet.platform.mongo;

import java.time.Instant;
import java.util.Date;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.MongoBulkWriteException;

/** Small conversions every repository needs; MongoDB stores instants as millisecond dates. */
public final class Documents {

    private Documents() {
    }

    public static Date date(Instant instant) {
        return instant == null ? null : Date.from(instant);
    }

    public static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    /** In an ordered batch that failed, how many writes went in before the first failure. */
    public static int firstFailedIndex(Throwable error) {
        if (error instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()) {
            return bulk.getWriteErrors().get(0).getIndex();
        }
        return 0;
    }

    /** True when a write failed on a unique index: the signal that another writer won a claim. */
    public static boolean isDuplicateKey(Throwable error) {
        if (error instanceof MongoWriteException write) {
            return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        if (error instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteErrors().stream().anyMatch(e -> e.getCode() == 11000);
        }
        // an upserting findAndModify reports the lost race as a command error, not a write error
        if (error instanceof com.mongodb.MongoCommandException command) {
            return command.getErrorCode() == 11000;
        }
        return false;
    }
}
