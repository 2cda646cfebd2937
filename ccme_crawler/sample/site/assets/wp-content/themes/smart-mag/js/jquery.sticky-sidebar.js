/* /wp-content/themes/smart-mag/js/jquery.sticky-sidebar.js (stand-in for the mirror) */
(function () { return 0; })();
