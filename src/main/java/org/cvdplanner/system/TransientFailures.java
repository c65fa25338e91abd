package org.cvdplanner.system;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database fault that passes (the server restarting, a dropped connection, a
 * serialization failure, a deadlock) from one that does not. Transient faults are retried by
 * jobs and answered 503 with Retry-After to clients; everything else keeps its meaning.
 */
public final class TransientFailures {

    /**
     * SQLSTATE classes and codes that pass: 08 connection exceptions, 40001 serialization
     * failure, 40P01 deadlock, 53 insufficient resources (too many connections), 57P01..57P03
     * admin / crash shutdown and "cannot connect now".
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "55P03");

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof PessimisticLockingFailureException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException) {
                return true;
            }
            if (t instanceof SQLException sql && transientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the error came from the database or its transactions (its meaning may depend on whether the database is up). */
    public static boolean involvesDatabase(Throwable error) {
        int depth = 0;
        for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof org.springframework.dao.DataAccessException
                    || t instanceof org.springframework.transaction.TransactionException || t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state));
    }
}
