'use strict';
// Names for two widgets that Django's admin scripts build without one (axe-core, WCAG 4.1.2).
// The page works without this script: without JavaScript neither widget exists, and the
// plain <select> each replaces carries its own name.
//
// * The autocomplete (select2) shows its choice in a "textbox" named by nothing while the
//   field is empty, and a multiple choice has an unlabelled search box: both are given the
//   name of the <select> they replace.
// * The filter of a "filter_horizontal" field puts its help in an aria-label on a plain
//   <span>, where the attribute is not allowed; the icon becomes an image with that name.
{
    function nameOf(select) {
        const label = select.getAttribute('aria-label');
        if (label) {
            return label;
        }
        const explicit = select.id && document.querySelector('label[for="' + select.id + '"]');
        return explicit ? explicit.textContent.replace(/[\s:]+$/, '').trim() : '';
    }

    function nameWidgets(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            // select2 puts its widget right after the <select> it replaces.
            const widget = select.nextElementSibling;
            const name = nameOf(select);
            if (!name || !widget || !widget.classList.contains('select2-container')) {
                return;
            }
            widget.querySelectorAll(
                '.select2-selection__rendered[role="textbox"], .select2-search__field'
            ).forEach((element) => {
                if (!element.hasAttribute('aria-label')) {
                    element.setAttribute('aria-label', name);
                }
            });
        });
        root.querySelectorAll('span.search-label-icon[aria-label]:not([role])').forEach(
            (icon) => icon.setAttribute('role', 'img')
        );
    }

    // The widgets appear after load and whenever "Add another" copies a row: name them
    // whenever the page changes.
    const observer = new MutationObserver(() => nameWidgets(document));
    document.addEventListener('DOMContentLoaded', () => {
        nameWidgets(document);
        observer.observe(document.body, {childList: true, subtree: true});
    });
}
