// Foundation glue on Apple platforms (NOT RUN here: swift-corelibs-foundation has no
// NSSetUncaughtExceptionHandler). Records an uncaught NSException, then calls the handler that
// was installed before (another crash reporter), so both see it.
#if canImport(UIKit) && !os(watchOS)
import Foundation

enum CrashHook {
    static weak var recorder: ScreenRecorder?
    private static var previous: (@convention(c) (NSException) -> Void)?
    private static var installed = false

    static func install(_ target: ScreenRecorder) {
        recorder = target
        guard !installed else { return }
        installed = true
        previous = NSGetUncaughtExceptionHandler()
        NSSetUncaughtExceptionHandler { exception in
            CrashHook.recorder?.uncaughtException(name: exception.name.rawValue, reason: exception.reason,
                                                  callStack: exception.callStackSymbols)
            CrashHook.previous?(exception)
        }
    }
}
#endif
