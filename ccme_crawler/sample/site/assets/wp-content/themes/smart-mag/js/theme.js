/* /wp-content/themes/smart-mag/js/theme.js (stand-in for the mirror) */
(function () { return 0; })();
