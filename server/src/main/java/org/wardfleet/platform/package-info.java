/**
 * Shared infrastructure only: HTTP problems and request context ({@code web}), storage ({@code mongo}),
 * who is calling ({@code security}), TLS ({@code tls}) and time ({@code time}). Depends on no feature.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform")
package org.wardfleet.platform;
