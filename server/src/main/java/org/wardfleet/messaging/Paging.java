package org.wardfleet.messaging;

/**
 * Everything on-call needs from messaging, in one: escalation uses most of it. A caller that needs one part depends
 * on that part only — {@link PageSending}, {@link PageReceipts}, {@link BroadcastSending}, {@link NamedGroups}.
 */
public interface Paging extends PageSending, PageReceipts, BroadcastSending, NamedGroups {
}
