package onair.amf;

/**
 * An AMF date (AMF0 spec §2.13, AMF3 spec §3.7): milliseconds since the Unix epoch in UTC, and a time zone that
 * AMF0 reserves and writers set to 0 (AMF3 dates carry none).
 */
public record AmfDate(double millis, int timezone) {
}
