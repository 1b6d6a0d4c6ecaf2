package org.puente.model.validation;

/** Whether a problem makes a message invalid (ERROR) or is only reported to the sender (WARNING). */
public enum Severity {
    ERROR,
    WARNING
}
