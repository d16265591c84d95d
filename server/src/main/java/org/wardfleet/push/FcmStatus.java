package org.wardfleet.push;

/** Whether FCM wake-ups are configured on this deployment, and for which Firebase project. */
public interface FcmStatus {

    boolean configured();

    /** The Firebase project, when configured. */
    String projectId();
}
