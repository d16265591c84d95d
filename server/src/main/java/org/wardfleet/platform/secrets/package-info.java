@org.springframework.modulith.NamedInterface("secrets")
package org.wardfleet.platform.secrets;
