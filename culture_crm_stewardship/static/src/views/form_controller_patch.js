import { useEffect } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { FormController } from "@web/views/form/form_controller";

// A contact the user may read but not change (the banner says which domain owns it and
// whom to ask) opens read-only instead of failing on save. The server decides, through
// the record rules; this only spares the user an edit they could not save.
patch(FormController.prototype, {
    setup() {
        super.setup(...arguments);
        if (this.props.resModel !== "res.partner") {
            return;
        }
        this.cultureLockedByOwnership = false;
        useEffect(
            (root, locked) => {
                if (!root || !this.canEdit) {
                    return;
                }
                if (locked && root.isInEdition && !root.isNew) {
                    this.cultureLockedByOwnership = true;
                    root.switchMode("readonly");
                } else if (!locked && this.cultureLockedByOwnership && !root.isInEdition) {
                    this.cultureLockedByOwnership = false;
                    root.switchMode("edit");
                }
            },
            () => {
                const root = this.model.root;
                return [root, Boolean(root?.data?.culture_edit_lock_reason)];
            }
        );
    },
});
