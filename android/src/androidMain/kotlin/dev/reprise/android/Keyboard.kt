package dev.reprise.android

import android.os.Build
import android.view.View
import android.view.WindowInsets

/**
 * The soft keyboard's height in pixels from a window's insets (0 when hidden). The IME's own
 * window is not the app's to read: the placeholder is its inset. API 30+ (`WindowInsets.Type.ime()`);
 * below that, 0.
 */
internal object Keyboard {
    fun height(insets: WindowInsets?): Int {
        if (insets == null || Build.VERSION.SDK_INT < 30) return 0
        return if (insets.isVisible(WindowInsets.Type.ime())) insets.getInsets(WindowInsets.Type.ime()).bottom else 0
    }

    /** The keyboard over any of [roots] (the activity's window is the one the IME resizes). */
    fun height(roots: List<View>): Int = roots.maxOfOrNull { height(it.rootWindowInsets) } ?: 0
}
