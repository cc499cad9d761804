//! Small parsers for the real touch traces under `tests/data/traces` (provenance in
//! `tests/data/SOURCES.md`): AOSP's recorded flings, `getevent -lt` kernel traces and the Flutter
//! engine's pointer recording. Each turns its format into raw [`TouchSample`]s as a platform layer
//! would forward them. The gesture tests (`tests/tests/gesture_traces.rs`) and the demo scenario
//! ([`crate::scenario`]) both read the traces through these.

use std::path::{Path, PathBuf};

use reprise_core::{TouchAction, TouchSample};

use crate::data;
use crate::error::ParseError;

/// The traces' folder under a fixtures folder (`tests/data/traces`).
pub fn dir(fixtures: &Path) -> PathBuf {
    fixtures.join("traces")
}

/// The text of a file under the traces' folder, e.g. `monkeyhelper-getevent/Phone/phone-single-touch.txt`.
pub fn read(fixtures: &Path, relative: &str) -> Result<String, ParseError> {
    data::read(&dir(fixtures).join(relative))
}

// ---------------------------------------------------------------------------------------------
// AOSP VelocityTracker_test.cpp

/// One recorded fling of `VelocityTracker_test.cpp`: its samples (the last one is ACTION_UP, at
/// the same time and place as the one before) and the velocities AOSP's test expects, in px/s.
#[derive(Debug, Clone)]
pub struct AospFling {
    /// The TEST_F name.
    pub name: String,
    /// (time in ns, x, y), oldest first.
    pub samples: Vec<(i64, f32, f32)>,
    /// Expected LSQ2 velocity along x, when the test asserts one.
    pub lsq2_x: Option<f32>,
    /// Expected LSQ2 velocity along y, when the test asserts one.
    pub lsq2_y: Option<f32>,
    /// Expected IMPULSE velocity along x, when the test asserts one.
    pub impulse_x: Option<f32>,
    /// Expected IMPULSE velocity along y, when the test asserts one.
    pub impulse_y: Option<f32>,
}

impl AospFling {
    /// The samples as a platform would deliver them: down, moves, and up on the last one.
    pub fn touches(&self) -> Vec<TouchSample> {
        let last = self.samples.len().saturating_sub(1);
        self.samples
            .iter()
            .enumerate()
            .map(|(i, &(ns, x, y))| {
                let action = match i {
                    0 => TouchAction::Down,
                    i if i == last => TouchAction::Up,
                    _ => TouchAction::Move,
                };
                TouchSample { pointer_id: 0, action, x, y, time_us: ns.div_euclid(1000), pressure: None, size: None }
            })
            .collect()
    }
}

/// Every `TEST_F` whose name has "Fling" in it: the flings recorded by hand on real phones.
pub fn aosp_flings(source: &str) -> Vec<AospFling> {
    let mut out = Vec::new();
    for block in source.split("TEST_F(VelocityTrackerTest, ").skip(1) {
        let name: String = block.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.contains("Fling") {
            continue;
        }
        let body = block.split("\n}\n").next().unwrap_or(block);
        let samples = body.lines().filter(|l| l.contains("{{")).filter_map(motion_line).collect();
        let mut fling = AospFling { name, samples, lsq2_x: None, lsq2_y: None, impulse_x: None, impulse_y: None };
        for call in body.split("computeAndCheckVelocity(").skip(1) {
            let args: Vec<&str> = call.split(')').next().unwrap_or("").split(',').map(str::trim).collect();
            if let [strategy, _, axis, value, ..] = args.as_slice() {
                let value: Option<f32> = value.parse().ok();
                match (*strategy, *axis) {
                    ("VelocityTracker::Strategy::LSQ2", "AMOTION_EVENT_AXIS_X") => fling.lsq2_x = value,
                    ("VelocityTracker::Strategy::LSQ2", "AMOTION_EVENT_AXIS_Y") => fling.lsq2_y = value,
                    ("VelocityTracker::Strategy::IMPULSE", "AMOTION_EVENT_AXIS_X") => fling.impulse_x = value,
                    ("VelocityTracker::Strategy::IMPULSE", "AMOTION_EVENT_AXIS_Y") => fling.impulse_y = value,
                    _ => {}
                }
            }
        }
        out.push(fling);
    }
    out
}

/// `{ 235089084684000ns, {{527.00, 981.00}} },` or `{ 0ms, {{271, 96}} },`.
fn motion_line(line: &str) -> Option<(i64, f32, f32)> {
    let (time, rest) = line.trim().trim_start_matches('{').split_once(',')?;
    let time = time.trim();
    let digits: String = time.chars().take_while(|c| c.is_ascii_digit()).collect();
    let value: i64 = digits.parse().ok()?;
    let ns = match &time[digits.len()..] {
        "ns" => value,
        "us" => value * 1_000,
        "ms" => value * 1_000_000,
        _ => return None,
    };
    let coords = rest.split("{{").nth(1)?.split("}}").next()?;
    let (x, y) = coords.split_once(',')?;
    Some((ns, x.trim().parse().ok()?, y.trim().parse().ok()?))
}

// ---------------------------------------------------------------------------------------------
// getevent -lt

/// How a device's digitizer maps to its screen. The traces carry no `getevent -p` output, so the
/// ranges are assumptions, stated where each device is defined.
#[derive(Debug, Clone, Copy)]
pub struct Device {
    /// Digitizer units across, mapped to `screen_width_px`.
    pub digitizer_width: f32,
    /// Digitizer units down, mapped to `screen_height_px`.
    pub digitizer_height: f32,
    /// Screen width in pixels.
    pub screen_width_px: f32,
    /// Screen height in pixels.
    pub screen_height_px: f32,
    /// Pixels per dp.
    pub density: f32,
}

/// Samsung Galaxy S (GT-I9000): 480x800 px at density 1.5. Its digitizer is assumed to span
/// 0..1024 on both axes: the largest values in any of its traces are 1019 and 1003.
pub const GALAXY_S: Device = Device {
    digitizer_width: 1024.0,
    digitizer_height: 1024.0,
    screen_width_px: 480.0,
    screen_height_px: 800.0,
    density: 1.5,
};

/// Asus Transformer Prime TF201: 1280x800 px landscape at density 1.0 (mdpi, 149 dpi). Its
/// digitizer is assumed to span 2240x1408 units (the ELAN range of Asus tablets of that time, the
/// panel's 1.6 aspect ratio); the largest values in its traces are 1572 and 699.
pub const TF201: Device = Device {
    digitizer_width: 2240.0,
    digitizer_height: 1408.0,
    screen_width_px: 1280.0,
    screen_height_px: 800.0,
    density: 1.0,
};

/// The Android emulator: a single-touch device reporting screen pixels (ABS_X/ABS_Y with
/// BTN_TOUCH). Assumed 720x1280 at density 2.0 (xhdpi); the largest values are 663 and 1136.
pub const EMULATOR: Device = Device {
    digitizer_width: 720.0,
    digitizer_height: 1280.0,
    screen_width_px: 720.0,
    screen_height_px: 1280.0,
    density: 2.0,
};

/// One finger in one kernel report, in digitizer units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// The tracking id (the index in the report when the device gives none).
    pub id: u32,
    /// X.
    pub x: f32,
    /// Y.
    pub y: f32,
}

/// The fingers down after one SYN_REPORT.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Kernel time in microseconds.
    pub time_us: i64,
    /// The fingers down.
    pub contacts: Vec<Contact>,
}

/// Parses a `getevent -lt` trace in any of the three forms the traces use: multi-touch protocol A
/// (each contact ends with SYN_MT_REPORT; a lifted finger is an empty report), a single-slot
/// protocol B stream (tracking id -1 lifts; only changed values are sent) and single touch
/// (ABS_X/ABS_Y with BTN_TOUCH). Returns the fingers down after each report that touched them.
pub fn getevent(text: &str) -> Vec<Report> {
    let protocol_a = text.contains("SYN_MT_REPORT");
    let mut out = Vec::new();
    let mut frame: Vec<Contact> = Vec::new();
    // Values of the contact being reported (protocol A) or of the only contact (the others).
    let (mut id, mut x, mut y): (Option<i64>, Option<f32>, Option<f32>) = (None, None, None);
    let mut touching = false;
    let mut dirty = false;
    for line in text.lines() {
        let Some((time, rest)) = line.trim_start_matches('[').split_once(']') else { continue };
        let mut fields = rest.split_whitespace();
        let (Some(_kind), Some(code), Some(value)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let Some(time_us) = parse_time_us(time) else { continue };
        let number = u32::from_str_radix(value, 16).ok().map(|v| v as i32);
        match code {
            "ABS_MT_POSITION_X" | "ABS_X" => (x, dirty) = (number.map(|v| v as f32), true),
            "ABS_MT_POSITION_Y" | "ABS_Y" => (y, dirty) = (number.map(|v| v as f32), true),
            "ABS_MT_TRACKING_ID" => (id, dirty) = (number.map(i64::from), true),
            "BTN_TOUCH" if !protocol_a => (touching, dirty) = (value == "DOWN", true),
            "SYN_MT_REPORT" => {
                if let (Some(cx), Some(cy)) = (x, y) {
                    let index = frame.len() as i64;
                    frame.push(Contact { id: id.unwrap_or(index) as u32, x: cx, y: cy });
                }
                (id, x, y) = (None, None, None);
            }
            "SYN_REPORT" if protocol_a => {
                out.push(Report { time_us, contacts: std::mem::take(&mut frame) });
            }
            "SYN_REPORT" if dirty => {
                dirty = false;
                let down = if text.contains("BTN_TOUCH") { touching } else { id.is_some_and(|i| i >= 0) };
                let contacts = match (down, x, y) {
                    (true, Some(cx), Some(cy)) => vec![Contact { id: id.unwrap_or(0).max(0) as u32, x: cx, y: cy }],
                    _ => Vec::new(),
                };
                out.push(Report { time_us, contacts });
            }
            _ => {}
        }
    }
    out
}

/// `    1193.605705` as microseconds.
fn parse_time_us(time: &str) -> Option<i64> {
    let (secs, micros) = time.trim().split_once('.')?;
    Some(secs.parse::<i64>().ok()? * 1_000_000 + micros.parse::<i64>().ok()?)
}

/// The raw samples a platform would forward for these reports on `device`: per report, lifted
/// fingers first (PointerUp, or Up for the last), then a Move for every finger still down, then
/// new fingers (Down for the first, PointerDown for others). Positions in screen pixels.
pub fn reports_to_samples(reports: &[Report], device: Device) -> Vec<TouchSample> {
    let sx = device.screen_width_px / device.digitizer_width;
    let sy = device.screen_height_px / device.digitizer_height;
    let mut active: Vec<Contact> = Vec::new();
    let mut out = Vec::new();
    let mut push = |c: &Contact, action: TouchAction, time_us: i64| {
        out.push(TouchSample {
            pointer_id: c.id,
            action,
            x: c.x * sx,
            y: c.y * sy,
            time_us,
            pressure: None,
            size: None,
        });
    };
    for report in reports {
        let lifted: Vec<Contact> =
            active.iter().filter(|a| !report.contacts.iter().any(|c| c.id == a.id)).copied().collect();
        for contact in &lifted {
            active.retain(|a| a.id != contact.id);
            let action = if active.is_empty() { TouchAction::Up } else { TouchAction::PointerUp };
            push(contact, action, report.time_us);
        }
        for contact in &report.contacts {
            if let Some(a) = active.iter_mut().find(|a| a.id == contact.id) {
                *a = *contact;
                push(contact, TouchAction::Move, report.time_us);
            }
        }
        for contact in &report.contacts {
            if !active.iter().any(|a| a.id == contact.id) {
                let action = if active.is_empty() { TouchAction::Down } else { TouchAction::PointerDown };
                active.push(*contact);
                push(contact, action, report.time_us);
            }
        }
    }
    out
}

/// The samples of a getevent trace under `traces/monkeyhelper-getevent/` (`file` as
/// `Phone/phone-single-touch.txt`), in screen pixels of `device`.
pub fn getevent_samples(fixtures: &Path, file: &str, device: Device) -> Result<Vec<TouchSample>, ParseError> {
    let text = read(fixtures, &format!("monkeyhelper-getevent/{file}"))?;
    Ok(reports_to_samples(&getevent(&text), device))
}

// ---------------------------------------------------------------------------------------------
// Flutter PointerData recording

/// The samples of the Flutter engine's recording: `change` 4 is down, 5 move, 6 up, 0 cancel
/// (add, remove and hover carry no touch); `timeStamp` is in microseconds; positions in physical
/// pixels.
pub fn flutter(json: &str) -> Vec<TouchSample> {
    let packets: serde_json::Value = serde_json::from_str(json).unwrap_or(serde_json::Value::Null);
    let events = packets.as_array().into_iter().flatten().flat_map(|p| p["events"].as_array().into_iter().flatten());
    events
        .filter_map(|e| {
            let action = match e["change"].as_i64()? {
                0 => TouchAction::Cancel,
                4 => TouchAction::Down,
                5 => TouchAction::Move,
                6 => TouchAction::Up,
                _ => return None,
            };
            Some(TouchSample {
                pointer_id: e["pointerIdentifier"].as_u64().unwrap_or(0) as u32,
                action,
                x: e["physicalX"].as_f64()? as f32,
                y: e["physicalY"].as_f64()? as f32,
                time_us: e["timeStamp"].as_i64()?,
                pressure: e["pressure"].as_f64().map(|p| p as f32),
                size: e["size"].as_f64().map(|s| s as f32),
            })
        })
        .collect()
}
