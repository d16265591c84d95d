@org.springframework.modulith.NamedInterface("tls")
package org.wardfleet.platform.tls;
