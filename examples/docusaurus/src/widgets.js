// Defines the mqsim elements in the browser. Docusaurus also evaluates client
// modules during its server-side build, where mqsim-widgets defines nothing.
import 'mqsim-widgets';
