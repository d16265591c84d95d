package org.wardfleet.console.internal;

import java.util.List;

/**
 * The one way the console asks before it changes anything: a panel that names what will change (the device and its
 * person, the invitation), says what follows, and posts the change only when the button in it is pressed. Rendered
 * by {@code console/confirm :: confirm} into the page ({@code #confirm}, htmx) or as a page of its own (no script).
 *
 * @param facts what is acted on, as label and value pairs, e.g. "Device" → "Pixel 8 (serial R58N…)"
 * @param action where the confirmed form posts
 * @param fields hidden form fields, name and value pairs (e.g. the action type)
 * @param danger red for what cannot be undone (wipe, retire, revoke)
 */
record Confirmation(String title, List<String[]> facts, String consequence, String action, List<String[]> fields,
        String confirmLabel, boolean danger, String cancel) {
}
