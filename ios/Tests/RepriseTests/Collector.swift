import Foundation
import XCTest

/// The real collector (`reprise serve`) as a subprocess on a free loopback port.
final class Collector {
    let binary: URL
    let dataDir: URL
    let apiKey = "swift-test-key-0123456789"
    private(set) var endpoint = ""
    private let process = Process()
    private let log: URL

    init() throws {
        let path = try XCTUnwrap(ProcessInfo.processInfo.environment["REPRISE_COLLECTOR"],
                                 "REPRISE_COLLECTOR is not set (scripts/test-swift.sh sets it)")
        binary = URL(fileURLWithPath: path)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CollectorError("collector binary not found at \(path) (scripts/test-swift.sh builds it)")
        }
        dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("reprise-collector-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        log = dataDir.appendingPathComponent("collector.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)

        // Port 0: the collector binds a free port and names it on its first stdout line.
        let stdout = Pipe()
        process.executableURL = binary
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--data", dataDir.appendingPathComponent("data").path,
                             "--api-key", "demo=\(apiKey)"]
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()

        let reader = stdout.fileHandleForReading
        let done = DispatchSemaphore(value: 0)
        let line = LineBox()
        DispatchQueue.global().async {
            var bytes = Data()
            while !bytes.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                bytes.append(chunk)
            }
            line.value = String(decoding: bytes, as: UTF8.self)
            done.signal()
        }
        guard done.wait(timeout: .now() + 20) == .success,
              let range = line.value.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            process.terminate()
            throw CollectorError("collector did not start: \(line.value) \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        endpoint = String(line.value[range])
    }

    /// What the collector stored, through `reprise inspect --data DIR [--session ID]`: the JSON and its raw text.
    func inspect(session: String? = nil) throws -> (json: [String: Any], text: String) {
        let p = Process()
        p.executableURL = binary
        p.arguments = ["inspect", "--data", dataDir.appendingPathComponent("data").path] + (session.map { ["--session", $0] } ?? [])
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CollectorError("reprise inspect failed (\(p.terminationStatus))") }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (json, String(decoding: data, as: UTF8.self))
    }

    /// The records of one session, every segment decoded.
    func records(session: String) throws -> (records: [[String: Any]], text: String) {
        let (json, text) = try inspect(session: session)
        let sessions = try XCTUnwrap(json["sessions"] as? [[String: Any]])
        XCTAssertEqual(sessions.count, 1)
        let segments = try XCTUnwrap(sessions.first?["segments"] as? [[String: Any]])
        XCTAssertFalse(segments.isEmpty, "no segments stored")
        var records: [[String: Any]] = []
        for seg in segments {
            XCTAssertNil(seg["error"], "segment \(seg["sequence"] ?? "?") does not decode: \(seg["error"] ?? "")")
            records += try XCTUnwrap(seg["records"] as? [[String: Any]])
        }
        return (records, text)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dataDir)
    }

    deinit { stop() }
}

private final class LineBox: @unchecked Sendable { var value = "" }

struct CollectorError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
