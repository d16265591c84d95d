package org.wardfleet.wctp.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * WCTP documents in and out. Parsing never resolves an external DTD or entity (the {@code <!DOCTYPE ... SYSTEM>} line
 * senders include is read and ignored), refuses any internal entity declaration (entity expansion), documents over
 * 64 KB and nesting deeper than 16 levels (counted while streaming) — each with a WCTP failure, and nothing else
 * happens.
 */
final class WctpXml {

    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_DEPTH = 16;
    static final String VERSION = "wctp-dtd-v1r3";

    /** A WCTP failure: code and text as the protocol defines them. */
    static final class Refused extends Exception {
        final int code;

        Refused(int code, String text) {
            super(text, null, false, false);
            this.code = code;
        }
    }

    private WctpXml() {
    }

    static Element parse(byte[] body) throws Refused {
        if (body.length > MAX_BYTES) {
            throw new Refused(301, "Message over 64 KB");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.contains("<!ENTITY") || text.contains("<!entity")) {
            throw new Refused(302, "Entity declarations are not accepted");
        }
        TreeBuilder tree = new TreeBuilder();
        try {
            SAXParser parser = parsers().newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            XMLReader reader = parser.getXMLReader();
            reader.setContentHandler(tree);
            reader.setErrorHandler(tree);
            reader.setEntityResolver(tree);
            reader.parse(new InputSource(new ByteArrayInputStream(body)));
        } catch (TooDeep e) {
            throw new Refused(302, "Nesting too deep");
        } catch (SAXException | IOException e) {
            throw new Refused(301, "Unparsable input");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        Element root = tree.document.getDocumentElement();
        if (!"wctp-Operation".equals(root.getTagName())) {
            throw new Refused(302, "Not a wctp-Operation");
        }
        String version = root.getAttribute("wctpVersion").trim().toLowerCase(Locale.ROOT);
        if (!version.isEmpty() && !version.equals(VERSION) && !version.equals("1.3")) {
            throw new Refused(302, "Unsupported wctpVersion " + root.getAttribute("wctpVersion"));
        }
        return root;
    }

    /**
     * The JDK's own parser (no classpath lookup, the hardening features known to apply), a factory per document: JAXP
     * does not promise that one is safe to share between threads.
     */
    private static SAXParserFactory parsers() {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setXIncludeAware(false);
            factory.setNamespaceAware(false);
            factory.setValidating(false);
            return factory;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown from inside the parser at the first element deeper than {@link #MAX_DEPTH}. */
    private static final class TooDeep extends SAXException {
        TooDeep() {
            super("nesting deeper than " + MAX_DEPTH);
        }
    }

    /**
     * Builds the DOM from the parser's events, one element at a time, counting depth as it goes: a document nested
     * too deep is refused at its first element past the limit, before the rest is read, and nothing here recurses
     * (a recursive depth check once overflowed the stack of a network thread at ~6,000 levels, well inside 64 KB).
     */
    private static final class TreeBuilder extends DefaultHandler {
        private final Document document = newDocument();
        private Node current = document;
        private int depth;

        @Override
        public void startElement(String uri, String localName, String name, Attributes attributes) throws SAXException {
            if (++depth > MAX_DEPTH) {
                throw new TooDeep();
            }
            Element element = document.createElement(name);
            for (int i = 0; i < attributes.getLength(); i++) {
                element.setAttribute(attributes.getQName(i), attributes.getValue(i));
            }
            current = current.appendChild(element);
        }

        @Override
        public void endElement(String uri, String localName, String name) {
            depth--;
            current = current.getParentNode();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (current != document) {
                current.appendChild(document.createTextNode(new String(ch, start, length)));
            }
        }

        /** The usual {@code <!DOCTYPE ... SYSTEM "http://dtd.wctp.org/...">} line: read as empty, never fetched. */
        @Override
        public InputSource resolveEntity(String publicId, String systemId) {
            return new InputSource(new StringReader(""));
        }

        @Override
        public void error(SAXParseException e) {
            // non-validating: recoverable errors (e.g. an undeclared element) do not matter for WCTP
        }

        private static Document newDocument() {
            try {
                return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().newDocument();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    static String confirmation(int code, String text, boolean success) {
        String element = success
                ? "<wctp-Success successCode=\"" + code + "\" successText=\"" + escape(text) + "\"/>"
                : "<wctp-Failure errorCode=\"" + code + "\" errorText=\"" + escape(text) + "\"/>";
        return operation("<wctp-Confirmation>" + element + "</wctp-Confirmation>");
    }

    static String versionResponse() {
        return operation("<wctp-VersionResponse responderName=\"Wardfleet\" responderVersion=\"1\" "
                + "wctpVersion=\"" + VERSION + "\"/>");
    }

    /** WCTP timestamps: {@code YYYY-MM-DDTHH:MM:SS}, UTC. */
    static String timestamp(java.time.Instant at) {
        return java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atOffset(java.time.ZoneOffset.UTC)
                        .toLocalDateTime());
    }

    /** {@code wctp-StatusInfo} with a {@code wctp-Notification} (DELIVERED, READ) for a message the sender sent. */
    static String statusInfo(String senderId, String recipientId, String messageId, String type, java.time.Instant at) {
        return operation("<wctp-StatusInfo><wctp-ResponseHeader responseTimestamp=\"" + timestamp(at)
                + "\" respondingToID=\"" + escape(recipientId) + "\" responseToMessageID=\"" + escape(messageId)
                + "\"><wctp-Originator senderID=\"" + escape(senderId) + "\"/><wctp-MessageControl messageID=\""
                + escape(messageId) + "\"/><wctp-Recipient recipientID=\"" + escape(recipientId) + "\"/>"
                + "</wctp-ResponseHeader><wctp-Notification type=\"" + escape(type) + "\"/></wctp-StatusInfo>");
    }

    /** {@code wctp-MessageReply}: the answer chosen on the device for an MCR message. */
    static String messageReply(String senderId, String recipientId, String messageId, String answer,
            java.time.Instant at) {
        return operation("<wctp-MessageReply><wctp-ResponseHeader responseTimestamp=\"" + timestamp(at)
                + "\" respondingToID=\"" + escape(recipientId) + "\" responseToMessageID=\"" + escape(messageId)
                + "\"><wctp-Originator senderID=\"" + escape(recipientId) + "\"/><wctp-MessageControl messageID=\""
                + escape(messageId) + "\"/><wctp-Recipient recipientID=\"" + escape(senderId) + "\"/>"
                + "</wctp-ResponseHeader><wctp-Payload><wctp-Alphanumeric>" + escape(answer)
                + "</wctp-Alphanumeric></wctp-Payload></wctp-MessageReply>");
    }

    /** The answer to {@code wctp-SubmitClientMessage}: the tracking number to poll with. */
    static String submitClientResponse(String trackingNumber) {
        return operation("<wctp-SubmitClientResponse><wctp-ClientSuccess successCode=\"200\" successText=\"Accepted\""
                + " trackingNumber=\"" + escape(trackingNumber) + "\"/></wctp-SubmitClientResponse>");
    }

    /** The answer to {@code wctp-ClientQuery}: every notification and reply so far, oldest first. */
    static String clientQueryResponse(String trackingNumber, List<String[]> events) {
        StringBuilder inner = new StringBuilder("<wctp-ClientQueryResponse>");
        for (String[] e : events) { // kind, answer, at
            String header = "<wctp-ClientResponseHeader responseTimestamp=\"" + e[2] + "\" trackingNumber=\""
                    + escape(trackingNumber) + "\"/>";
            if ("REPLY".equals(e[0])) {
                inner.append("<wctp-ClientMessageReply>").append(header).append("<wctp-Payload><wctp-Alphanumeric>")
                        .append(escape(e[1])).append("</wctp-Alphanumeric></wctp-Payload></wctp-ClientMessageReply>");
            } else {
                inner.append("<wctp-ClientStatusInfo>").append(header).append("<wctp-Notification type=\"")
                        .append(escape(e[0])).append("\"/></wctp-ClientStatusInfo>");
            }
        }
        return operation(inner.append("</wctp-ClientQueryResponse>").toString());
    }

    private static String operation(String inner) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wctp-Operation wctpVersion=\"" + VERSION + "\">"
                + inner + "</wctp-Operation>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
