@org.springframework.modulith.NamedInterface("mongo")
package org.wardfleet.platform.mongo;
