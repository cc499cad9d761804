package androidx.compose.ui.platform

import android.content.Context
import android.widget.FrameLayout

/**
 * A stand-in for Compose's internal `AndroidComposeView`, for the Robolectric tests only: Compose
 * for Android cannot be fetched here (its runtime-saveable AAR is not served), so the walker's
 * lookup is tested against a view of the same class name and the same `getSemanticsOwner`
 * method. [owner] is what the method returns; null makes it throw, as a refused or renamed
 * member would.
 */
class AndroidComposeView(context: Context, private val owner: Any?) : FrameLayout(context) {
    fun getSemanticsOwner(): Any = owner ?: throw IllegalStateException("no semantics owner")
}
