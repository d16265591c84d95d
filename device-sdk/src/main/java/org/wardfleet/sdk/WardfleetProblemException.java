package org.wardfleet.sdk;

/**
 * An RFC 9457 problem from the server. Branch on {@link #type()}: e.g. {@code urn:wardfleet:problem:device-retired}
 * means the device must remove work data; {@code invitation-expired} means asking IT for a new invitation.
 */
public class WardfleetProblemException extends RuntimeException {

    public static final String DEVICE_RETIRED = "urn:wardfleet:problem:device-retired";

    private final String type;
    private final int status;
    private final String detail;

    public WardfleetProblemException(String type, int status, String title, String detail) {
        super(status + " " + type + (detail == null ? "" : ": " + detail));
        this.type = type;
        this.status = status;
        this.detail = detail == null ? title : detail;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public boolean is(String slug) {
        return type != null && type.equals("urn:wardfleet:problem:" + slug);
    }
}
