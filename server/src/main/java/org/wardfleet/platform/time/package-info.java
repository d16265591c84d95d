@org.springframework.modulith.NamedInterface("time")
package org.wardfleet.platform.time;
