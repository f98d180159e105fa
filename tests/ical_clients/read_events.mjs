// Reads one iCalendar text on stdin and prints, as JSON, how two independent JavaScript
// parsers read it (tests/test_calendar_ical_clients.py compares them with Python parsers):
//
//   {"ical.js": {"components": ["vtimezone", "vevent", ...],
//                "events": {"<UID>": {"start": <time>, "end": <time>}},
//                "status": {"<UID>": "CONFIRMED"}},
//    "node-ical": {"events": {...}}}
//
// A <time> is {"utc": "2027-03-27T19:00:00Z"} for a date-time, {"date": "2027-03-27"}
// for a whole day. The end is the one the parser's event API gives: without DTEND, the
// start for a date-time and the next day for a date (RFC 5545 3.6.1). A parser that
// throws, or that could not place a TZID in a zone (and so would fall back to floating
// or local time), makes the script exit with status 1.
//
// ical.js (Mozilla, the parser of Thunderbird) takes the offsets from the VTIMEZONE in the
// file. node-ical takes them for a known TZID from the time zone data of Node itself (ICU),
// not from the file: so one checks our VTIMEZONE, the other that local times and TZIDs
// mean what we say, and neither is the other's code.
//
// node-ical is pinned to 0.25.6 in package.json: from 0.26 on it needs Node 20 (regular
// expressions with the v flag), and CI installs Debian bookworm's Node 18.

import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import nodeIcal from 'node-ical';

const pad = (n, width = 2) => String(n).padStart(width, '0');

function icalJsTime(time, property) {
  if (time.isDate) {
    return { date: `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}` };
  }
  const tzid = property.getParameter('tzid');
  const zone = time.zone;
  if (tzid && (!zone || zone.tzid !== tzid || !zone.component)) {
    throw new Error(`ical.js: TZID ${tzid} not resolved from a VTIMEZONE in the file`);
  }
  if (!tzid && zone !== ICAL.Timezone.utcTimezone) {
    throw new Error('ical.js: floating date-time');
  }
  return { utc: new Date(time.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z') };
}

function readIcalJs(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== 'vcalendar') throw new Error(`ical.js: root is ${calendar.name}`);
  const events = {};
  const status = {};
  for (const component of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const start = component.getFirstProperty('dtstart');
    events[event.uid] = {
      start: icalJsTime(event.startDate, start),
      end: icalJsTime(event.endDate, component.getFirstProperty('dtend') || start),
    };
    status[event.uid] = component.getFirstPropertyValue('status');
  }
  return {
    components: calendar.getAllSubcomponents().map((c) => c.name),
    events,
    status,
  };
}

function nodeIcalTime(value) {
  if (value.dateOnly) {
    // node-ical makes whole days local midnight of this process: read them back locally.
    return {
      date: `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`,
    };
  }
  if (!value.tz) throw new Error('node-ical: date-time without a time zone');
  return { utc: value.toISOString().replace('.000Z', 'Z') };
}

function readNodeIcal(text) {
  const events = {};
  for (const entry of Object.values(nodeIcal.sync.parseICS(text))) {
    if (entry.type !== 'VEVENT') continue;
    events[entry.uid] = { start: nodeIcalTime(entry.start), end: nodeIcalTime(entry.end) };
  }
  return { events };
}

const text = readFileSync(0, 'utf8');
try {
  const result = { 'ical.js': readIcalJs(text), 'node-ical': readNodeIcal(text) };
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (error) {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
}
