@org.springframework.modulith.NamedInterface("security")
package org.wardfleet.platform.security;
