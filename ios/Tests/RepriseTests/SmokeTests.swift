import XCTest
@testable import Reprise

final class SmokeTests: XCTestCase {
    func testVersion() { XCTAssertFalse(Reprise.nativeVersion.isEmpty) }
}
