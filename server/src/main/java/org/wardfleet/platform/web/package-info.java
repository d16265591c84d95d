@org.springframework.modulith.NamedInterface("web")
package org.wardfleet.platform.web;
