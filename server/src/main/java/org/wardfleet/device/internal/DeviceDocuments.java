package org.wardfleet.device.internal;

import java.util.List;

import org.bson.Document;
import org.wardfleet.device.Device;
import org.wardfleet.device.DevicePlatform;
import org.wardfleet.device.DeviceState;
import org.wardfleet.device.Ownership;
import org.wardfleet.platform.mongo.Documents;

/** Device ↔ BSON. BYOD devices are written without hardware identifiers whatever the record holds. */
final class DeviceDocuments {

    private DeviceDocuments() {
    }

    static Document toDocument(Device d) {
        Document doc = new Document("_id", d.id())
                .append("orgId", d.orgId())
                .append("ownership", d.ownership().name())
                .append("platform", d.platform().name())
                .append("model", d.model())
                .append("osVersion", d.osVersion())
                .append("securityPatchLevel", d.securityPatchLevel())
                .append("appVersion", d.appVersion())
                .append("assignedUserId", d.assignedUserId())
                .append("groups", d.groups())
                .append("certificateSerial", d.certificateSerial())
                .append("certificateNotAfter", Documents.date(d.certificateNotAfter()))
                .append("publicKey", d.publicKey())
                .append("enrolledAt", Documents.date(d.enrolledAt()))
                .append("lastSeenAt", Documents.date(d.lastSeenAt()))
                .append("state", d.state().name())
                .append("pushTokens", d.pushTokens())
                .append("invitationId", d.invitationId())
                .append("userBoundAt", Documents.date(d.userBoundAt()));
        if (d.ownership() != Ownership.BYOD && d.hardware() != null) {
            doc.append("hardware", new Document("serialNumber", d.hardware().serialNumber())
                    .append("imei", d.hardware().imei()));
        }
        return doc;
    }

    static Device toDevice(Document d) {
        Document hw = d.get("hardware", Document.class);
        return new Device(d.getString("_id"), d.getString("orgId"), Ownership.valueOf(d.getString("ownership")),
                DevicePlatform.valueOf(d.getString("platform")), d.getString("model"), d.getString("osVersion"),
                d.getString("securityPatchLevel"), d.getString("appVersion"), d.getString("assignedUserId"),
                d.getList("groups", String.class, List.of()), d.getString("certificateSerial"),
                Documents.instant(d.getDate("certificateNotAfter")), d.getString("publicKey"),
                Documents.instant(d.getDate("enrolledAt")), Documents.instant(d.getDate("lastSeenAt")),
                DeviceState.valueOf(d.getString("state")), d.getList("pushTokens", String.class, List.of()),
                hw == null ? null : new Device.Hardware(hw.getString("serialNumber"), hw.getString("imei")),
                d.getString("invitationId"), Documents.instant(d.getDate("userBoundAt")));
    }
}
