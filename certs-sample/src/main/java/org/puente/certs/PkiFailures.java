package org.puente.certs;

import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/** Turns the checked exceptions of the JCA and of file writing into Puente's typed errors. */
final class PkiFailures {
    private PkiFailures() {
    }

    /** A JDK or Bouncy Castle failure that a correct JDK 17 never produces: a defect, not bad input. */
    static PuenteException internal(String what, Exception cause) {
        return new PuenteException(ErrorCode.INTERNAL_ERROR, cause, "certs-sample: " + what + " failed");
    }

    /** A problem the person running the generator can fix (unwritable folder, missing variable). */
    static PuenteException configuration(String sentence, Exception cause) {
        return cause == null
                ? new PuenteException(ErrorCode.CONFIGURATION_INVALID, sentence)
                : new PuenteException(ErrorCode.CONFIGURATION_INVALID, cause, sentence);
    }
}
